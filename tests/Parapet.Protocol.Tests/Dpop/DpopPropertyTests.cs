using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Tests.Dpop;

/// <summary>The DPoP properties keep Janssen's names, Parapet's defaults, and refuse values that would weaken proofs.</summary>
public sealed class DpopPropertyTests
{
    private static Checked<ServerProperties> Parse(string members) => PropertyDocument.Parse("{" + members + "}");

    [Fact]
    public void Defaults_are_asymmetric_algorithms_a_minute_of_skew_and_no_nonces()
    {
        var p = Parse("").Value!;

        Assert.Equal(["RS256", "PS256", "ES256"], p.DpopSigningAlgValuesSupported);
        Assert.Equal(60, p.DpopTimeframe);
        Assert.Equal(3600, p.DpopJtiCacheTime);
        Assert.False(p.DpopUseNonce);
        Assert.Equal(300, p.DpopNonceCacheTime);
    }

    [Fact]
    public void Janssen_names_are_read()
    {
        var p = Parse("\"dpopSigningAlgValuesSupported\":[\"ES256\"],\"dpopTimeframe\":5,\"dpopJtiCacheTime\":600,\"dpopUseNonce\":true,\"dpopNonceCacheTime\":120").Value!;

        Assert.Equal(["ES256"], p.DpopSigningAlgValuesSupported);
        Assert.Equal(5, p.DpopTimeframe);
        Assert.Equal(600, p.DpopJtiCacheTime);
        Assert.True(p.DpopUseNonce);
        Assert.Equal(120, p.DpopNonceCacheTime);
    }

    [Theory]
    [InlineData("\"dpopSigningAlgValuesSupported\":[]", "Property 'dpopSigningAlgValuesSupported' must list at least one algorithm.")]
    [InlineData("\"dpopSigningAlgValuesSupported\":[\"ES256\",\"HS256\"]", "Property 'dpopSigningAlgValuesSupported' contains 'HS256'; allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512.")]
    [InlineData("\"dpopSigningAlgValuesSupported\":[\"none\"]", "Property 'dpopSigningAlgValuesSupported' contains 'none'; allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512.")]
    [InlineData("\"dpopTimeframe\":0", "Property 'dpopTimeframe' must be between 1 and 3600.")]
    [InlineData("\"dpopJtiCacheTime\":0", "Property 'dpopJtiCacheTime' must be between 1 and 86400.")]
    [InlineData("\"dpopNonceCacheTime\":5", "Property 'dpopNonceCacheTime' must be between 10 and 86400.")]
    [InlineData("\"dpopUseNonce\":\"yes\"", "Property 'dpopUseNonce' must be a boolean.")]
    public void Out_of_range_values_are_refused_by_name(string members, string description)
    {
        var result = Parse(members);

        Assert.True(result.Failed, $"{members} was accepted");
        Assert.Equal(description, result.Error!.Description);
    }
}
