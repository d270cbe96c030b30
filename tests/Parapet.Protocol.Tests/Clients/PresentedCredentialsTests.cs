using System.Text;
using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Tests.Clients;

public sealed class PresentedCredentialsTests
{
    private static string Basic(string raw) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(raw));

    [Theory]
    [InlineData("app:secret", "app", "secret")]
    // RFC 6749 §2.3.1: id and secret are application/x-www-form-urlencoded before base64.
    [InlineData("my%20app:p%3Ass%2Bw%25rd", "my app", "p:ss+w%rd")]
    [InlineData("my+app:a+b", "my app", "a b")]
    [InlineData("caf%C3%A9:s%C3%A9cret", "café", "sécret")]
    // An unencoded colon in the secret: the first colon separates.
    [InlineData("app:sec:ret", "app", "sec:ret")]
    [InlineData("app:", "app", "")]
    public void A_basic_header_is_split_at_the_first_colon_and_form_decoded(string raw, string clientId, string secret)
    {
        var credentials = PresentedCredentials.From(Basic(raw), RequestParameters.Empty);

        Assert.True(credentials.BasicPresent);
        Assert.Equal(clientId, credentials.BasicClientId);
        Assert.Equal(secret, credentials.BasicSecret);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(600)] // past what is decoded on the stack
    public void A_long_basic_header_is_read_whole(int secretLength)
    {
        var secret = new string('s', secretLength);

        var credentials = PresentedCredentials.From(Basic("app:" + secret), RequestParameters.Empty);

        Assert.Equal("app", credentials.BasicClientId);
        Assert.Equal(secret, credentials.BasicSecret);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_read_as_replacement_characters_on_their_side_of_the_colon()
    {
        var credentials = PresentedCredentials.From("Basic " + Convert.ToBase64String([0x61, 0xE2, 0x3A, 0xFF, 0x62]), RequestParameters.Empty);

        Assert.Equal("a\uFFFD", credentials.BasicClientId);
        Assert.Equal("\uFFFDb", credentials.BasicSecret);
    }

    [Theory]
    [InlineData("basic ")]
    [InlineData("BASIC ")]
    public void The_scheme_name_is_case_insensitive(string scheme)
    {
        var credentials = PresentedCredentials.From(scheme + Convert.ToBase64String("app:secret"u8), RequestParameters.Empty);

        Assert.Equal("app", credentials.BasicClientId);
    }

    [Theory]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic ")]
    [InlineData("Basic YXBw")] // "app", no colon
    [InlineData("Basic OnNlY3JldA==")] // ":secret", empty id
    public void A_malformed_basic_header_counts_as_a_failed_basic_attempt(string header)
    {
        var credentials = PresentedCredentials.From(header, RequestParameters.Empty);

        Assert.True(credentials.BasicPresent);
        Assert.Null(credentials.BasicClientId);
        Assert.Null(credentials.BasicSecret);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("Basicx YXBwOnNlY3JldA==")]
    public void Without_a_basic_header_nothing_is_presented_by_header(string? header)
    {
        var credentials = PresentedCredentials.From(header, RequestParameters.Empty);

        Assert.False(credentials.BasicPresent);
        Assert.Null(credentials.BasicClientId);
    }

    [Fact]
    public void Body_credentials_and_assertions_are_seen()
    {
        var body = PresentedCredentials.From(null, Params.Of(("client_id", "app"), ("client_secret", "s")));
        var assertion = PresentedCredentials.From(null, Params.Of(("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")));
        var none = PresentedCredentials.From(null, Params.Of(("client_id", "app"), ("client_secret", "")));

        Assert.True(body.SecretInBody);
        Assert.False(body.AssertionPresent);
        Assert.True(assertion.AssertionPresent);
        Assert.False(none.SecretInBody);
    }
}
