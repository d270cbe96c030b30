using Parapet.Protocol.Clients;

namespace Parapet.Protocol.Tests.Clients;

public sealed class RedirectUrisTests
{
    private static Client Web(params string[] uris) => new() { ClientId = "web", RedirectUris = uris };
    private static Client Native(params string[] uris) => new() { ClientId = "native", RedirectUris = uris, ApplicationType = "native" };

    [Theory]
    [InlineData("https://client.example/cb", true)]
    [InlineData("https://client.example/cb/", false)]
    [InlineData("https://client.example/CB", false)]
    [InlineData("https://CLIENT.EXAMPLE/cb", false)]
    [InlineData("https://client.example:443/cb", false)]
    [InlineData("https://client.example/cb?x=1", false)]
    [InlineData("https://client.example/cb#x", false)]
    [InlineData("https://client.example/c", false)]
    [InlineData("https://client.example/cb/more", false)]
    [InlineData("https://client.example.evil.com/cb", false)]
    [InlineData("https://client.example/%63b", false)]
    [InlineData("https://client.example/cb2", true)]
    public void A_web_client_matches_only_the_exact_string(string presented, bool registered)
    {
        Assert.Equal(registered, RedirectUris.IsRegistered(Web("https://client.example/cb", "https://client.example/cb2"), presented));
    }

    [Theory]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:51234/cb", true)]
    [InlineData("http://127.0.0.1:8080/cb", "http://127.0.0.1:51234/cb", true)]
    [InlineData("http://127.0.0.1:8080/cb", "http://127.0.0.1/cb", true)]
    [InlineData("http://[::1]/cb", "http://[::1]:51234/cb", true)]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:51234/other", false)]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:51234/cb?x=1", false)]
    [InlineData("http://127.0.0.1/cb?x=1", "http://127.0.0.1:51234/cb?x=1", true)]
    [InlineData("http://127.0.0.1/cb", "http://[::1]:51234/cb", false)]
    [InlineData("http://127.0.0.1/cb", "http://localhost:51234/cb", false)]
    [InlineData("http://127.0.0.1/cb", "https://127.0.0.1:51234/cb", false)]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.2:51234/cb", false)]
    // RFC 8252 §7.3 covers loopback IP literals; "localhost" keeps exact matching (§8.3 discourages it).
    [InlineData("http://localhost/cb", "http://localhost:51234/cb", false)]
    [InlineData("https://app.example/cb", "https://app.example:8443/cb", false)]
    public void A_native_client_loopback_ip_redirect_matches_on_any_port(string registered, string presented, bool matches)
    {
        Assert.Equal(matches, RedirectUris.IsRegistered(Native(registered), presented));
    }

    [Fact]
    public void The_port_rule_is_for_native_clients_only()
    {
        Assert.False(RedirectUris.IsRegistered(Web("http://127.0.0.1/cb"), "http://127.0.0.1:51234/cb"));
        Assert.True(RedirectUris.IsRegistered(Web("http://127.0.0.1/cb"), "http://127.0.0.1/cb"));
    }

    [Theory]
    [InlineData("https://client.example/cb", true)]
    [InlineData("https://client.example/cb?x=1", true)]
    [InlineData("http://127.0.0.1:9/cb", true)]
    [InlineData("http://[::1]/cb", true)]
    [InlineData("http://localhost/cb", true)]
    [InlineData("http://client.example/cb", false)]
    [InlineData("http://10.0.0.1/cb", false)]
    [InlineData("https://client.example/cb#f", false)]
    [InlineData("https://client.example/cb#", false)]
    [InlineData("relative/cb", false)]
    [InlineData("custom.scheme:/cb", false)]
    [InlineData("data:text/html,hi", false)]
    public void Acceptable_redirect_uris_are_https_or_loopback_http_without_a_fragment(string uri, bool acceptable)
    {
        Assert.Equal(acceptable, RedirectUris.IsAcceptable(uri));
    }
}
