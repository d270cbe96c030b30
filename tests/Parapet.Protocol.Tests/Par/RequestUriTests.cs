using Parapet.Protocol.Par;

namespace Parapet.Protocol.Tests.Par;

public sealed class RequestUriTests
{
    private static readonly DateTimeOffset IssuedAt = new(2026, 12, 6, 12, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void An_issued_request_uri_is_the_urn_prefix_and_51_base64url_characters_with_32_random_bytes_after_the_time()
    {
        var reference = RequestUri.NewReference(IssuedAt);
        var uri = RequestUri.Format(reference);

        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", uri, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]{51}$", reference);
        var bytes = Base64Url.Decode(reference);
        Assert.Equal(6 + RequestUri.RandomBytes, bytes.Length);
        Assert.Equal(IssuedAt.ToUnixTimeMilliseconds(), Convert.ToInt64(Convert.ToHexString(bytes[..6]), 16));
    }

    [Fact]
    public void Two_references_of_the_same_millisecond_differ_in_their_random_part()
    {
        var first = Base64Url.Decode(RequestUri.NewReference(IssuedAt));
        var second = Base64Url.Decode(RequestUri.NewReference(IssuedAt));

        Assert.Equal(first[..6], second[..6]);
        Assert.NotEqual(first[6..], second[6..]);
    }

    [Fact]
    public void The_key_is_the_issue_time_in_hex_and_the_sha256_of_the_reference_never_the_reference()
    {
        var reference = RequestUri.NewReference(IssuedAt);

        var key = RequestUri.KeyOf(RequestUri.Format(reference));

        Assert.Equal(RequestUri.KeyOfReference(reference), key);
        Assert.Equal(IssuedAt.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture) + Hashing.Sha256(reference), key);
        Assert.DoesNotContain(reference, key!, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_sort_in_the_order_of_issue_so_new_rows_go_to_the_end_of_the_index()
    {
        var times = Enumerable.Range(0, 200).Select(i => IssuedAt.AddMilliseconds(i * 37L * i)).ToList();

        var keys = times.Select(t => RequestUri.KeyOfReference(RequestUri.NewReference(t))).ToList();

        Assert.Equal(keys, keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_key_gives_back_its_issue_time_and_a_legacy_key_none()
    {
        var key = RequestUri.KeyOfReference(RequestUri.NewReference(IssuedAt));

        Assert.Equal(IssuedAt.ToUnixTimeMilliseconds(), RequestUri.IssuedMsOfKey(key));
        Assert.Null(RequestUri.IssuedMsOfKey(Hashing.Sha256(Hashing.NewHandle())));
        Assert.Null(RequestUri.IssuedMsOfKey("zzzzzzzzzzzz" + Hashing.Sha256("x")));
    }

    [Fact]
    public void A_reference_of_the_earlier_43_character_format_still_resolves_to_its_bare_sha256()
    {
        var legacy = Hashing.NewHandle();

        Assert.Equal(Hashing.Sha256(legacy), RequestUri.KeyOf(RequestUri.Format(legacy)));
    }

    [Fact]
    public void References_are_unique()
    {
        var references = Enumerable.Range(0, 1000).Select(_ => RequestUri.NewReference(IssuedAt)).ToHashSet();

        Assert.Equal(1000, references.Count);
    }

    private const string Valid = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"; // 51

    [Theory]
    [InlineData("")]
    [InlineData("urn:ietf:params:oauth:request_uri:")]
    [InlineData("urn:ietf:params:oauth:request_uri:" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 42
    [InlineData("urn:ietf:params:oauth:request_uri:" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 44
    [InlineData("urn:ietf:params:oauth:request_uri:" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 50
    [InlineData("urn:ietf:params:oauth:request_uri:" + Valid + "A")] // 52
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
        Assert.NotNull(RequestUri.KeyOf("urn:ietf:params:oauth:request_uri:" + Valid[..43]));
    }
}
