using Parapet.Protocol.Dpop;

namespace Parapet.Protocol.Tests.Dpop;

/// <summary>RFC 9449 §4.3: htu is compared without query and fragment, after RFC 3986 normalization.</summary>
public sealed class DpopUrlTests
{
    [Theory]
    [InlineData("https://server.example/token")]
    [InlineData("HTTPS://Server.Example/token")]
    [InlineData("https://server.example:443/token")]
    [InlineData("https://server.example/token?x=1")]
    [InlineData("https://server.example/token#frag")]
    [InlineData("https://server.example/a/../token")]
    [InlineData("https://server.example/%74oken")]
    public void Equivalent_urls_match(string htu)
    {
        Assert.True(DpopUrl.Matches(htu, ["https://server.example/token"]));
    }

    [Theory]
    [InlineData("https://server.example/token/")]
    [InlineData("http://server.example/token")]
    [InlineData("https://server.example:8443/token")]
    [InlineData("https://other.example/token")]
    [InlineData("https://server.example/Token")]
    [InlineData("/token")]
    [InlineData("not a url")]
    public void Other_urls_do_not_match(string htu)
    {
        Assert.False(DpopUrl.Matches(htu, ["https://server.example/token"]));
    }

    [Fact]
    public void Any_of_the_published_urls_matches()
    {
        Assert.True(DpopUrl.Matches("https://mtls.server.example/token", ["https://server.example/token", "https://mtls.server.example/token"]));
    }
}
