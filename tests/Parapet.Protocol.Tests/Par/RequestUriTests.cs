using Parapet.Protocol.Par;

namespace Parapet.Protocol.Tests.Par;

public sealed class RequestUriTests
{
    [Fact]
    public void An_issued_request_uri_is_the_urn_prefix_and_43_base64url_characters()
    {
        var reference = RequestUri.NewReference();
        var uri = RequestUri.Format(reference);

        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", uri, StringComparison.Ordinal);
        Assert.Equal(43, reference.Length);
        Assert.Equal(32, Base64Url.Decode(reference).Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", reference);
    }

    [Fact]
    public void The_key_is_the_sha256_of_the_reference_never_the_reference()
    {
        var reference = RequestUri.NewReference();

        var key = RequestUri.KeyOf(RequestUri.Format(reference));

        Assert.Equal(RequestUri.KeyOfReference(reference), key);
        Assert.Equal(Hashing.Sha256(reference), key);
        Assert.NotEqual(reference, key);
    }

    [Fact]
    public void References_are_unique()
    {
        var references = Enumerable.Range(0, 1000).Select(_ => RequestUri.NewReference()).ToHashSet();

        Assert.Equal(1000, references.Count);
    }

    private const string Valid = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"; // 43

    [Theory]
    [InlineData("")]
    [InlineData("urn:ietf:params:oauth:request_uri:")]
    [InlineData("urn:ietf:params:oauth:request_uri:" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 42
    [InlineData("urn:ietf:params:oauth:request_uri:" + Valid + "A")] // 44
    [InlineData("urn:ietf:params:oauth:request_uri:" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("urn:ietf:params:oauth:request_uri:" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")]
    [InlineData("urn:ietf:params:oauth:request_uri:" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.")]
    [InlineData("urn:ietf:params:oauth:request_uri:" + "AAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("urn:ietf:params:oauth:request_uri:" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")]
    // Janssen-style UUID request URI (122 bits): not one this server issues.
    [InlineData("urn:ietf:params:oauth:request_uri:4a0ff3b4-3c3b-4c4c-9b5f-2b0a6e1c8d21")]
    [InlineData("URN:IETF:PARAMS:OAUTH:REQUEST_URI:" + Valid)]
    [InlineData("urn:ietf:params:oauth:request-uri:" + Valid)]
    [InlineData("https://client.example/request.jwt")]
    [InlineData(Valid)]
    [InlineData(" urn:ietf:params:oauth:request_uri:" + Valid)]
    public void KeyOf_rejects_anything_this_server_does_not_issue(string requestUri)
    {
        Assert.Null(RequestUri.KeyOf(requestUri));
    }

    [Fact]
    public void KeyOf_accepts_a_well_formed_reference()
    {
        Assert.NotNull(RequestUri.KeyOf("urn:ietf:params:oauth:request_uri:" + Valid));
    }
}
