using System.Text.Json.Nodes;
using Parapet.Protocol.Janssen;
using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Tests.Janssen;

public sealed class JanssenConfigImportTests
{
    private static ConfigImportPlan Plan(string json)
    {
        var plan = JanssenConfigImport.Plan(JsonNode.Parse(json)!.AsObject(), new ServerProperties());
        Assert.False(plan.Failed, plan.Error?.Description);
        return plan.Value!;
    }

    [Fact]
    public void Par_properties_are_taken_as_they_are()
    {
        var plan = Plan("""
            {"issuer":"https://jans.example","parEndpoint":"https://jans.example/jans-auth/restv1/par","requirePar":true,
             "mtlsParEndpoint":"https://mtls.jans.example/jans-auth/restv1/par","requestUriParameterSupported":true,"featureFlags":["par","userinfo"]}
            """);

        Assert.Equal("https://jans.example/jans-auth/restv1/par", plan.Result.ParEndpoint);
        Assert.True(plan.Result.RequirePar);
        Assert.Equal("https://mtls.jans.example/jans-auth/restv1/par", plan.Result.MtlsParEndpoint);
        Assert.Equal(["par", "userinfo"], plan.Result.FeatureFlags);
        Assert.Contains(plan.Changed, c => c.Name == "requirePar");
    }

    [Theory]
    [InlineData("""{"featureFlags":[]}""")]
    [InlineData("""{}""")]
    [InlineData("""{"featureFlags":["no_such_flag"]}""")]
    public void Empty_feature_flags_mean_every_feature_and_are_made_explicit(string json)
    {
        var plan = Plan(json);

        Assert.Equal(FeatureFlagCatalog.Known.Order(StringComparer.Ordinal), plan.Result.FeatureFlags);
        Assert.Contains(plan.Changed, c => c.Name == "featureFlags" && c.Detail.Contains("every feature", StringComparison.Ordinal));
    }

    [Fact]
    public void Enabled_feature_flags_alias_is_read_and_unimplemented_flags_are_reported()
    {
        var plan = Plan("""{"enabledFeatureFlags":["PAR","uma"]}""");

        Assert.Equal(["par", "uma"], plan.Result.FeatureFlags);
        Assert.Contains(plan.Ignored, i => i.Name == "featureFlags[uma]" && i.Detail.Contains("no effect", StringComparison.Ordinal));
    }

    [Fact]
    public void Janssen_only_properties_are_reported_not_dropped_silently()
    {
        var plan = Plan("""{"umaConfigurationEndpoint":"https://jans.example/uma","configurationUpdateInterval":3600,"featureFlags":["par"]}""");

        Assert.Contains(plan.Ignored, i => i.Name == "umaConfigurationEndpoint");
        Assert.Contains(plan.Ignored, i => i.Name == "configurationUpdateInterval");
        Assert.Equal(1, plan.Result.ConfigurationUpdateInterval);
    }

    [Fact]
    public void An_invalid_value_fails_the_whole_import_naming_the_property()
    {
        var plan = JanssenConfigImport.Plan(JsonNode.Parse("""{"requirePar":"yes"}""")!.AsObject(), new ServerProperties());

        Assert.True(plan.Failed);
        Assert.Contains("requirePar", plan.Error!.Description, StringComparison.Ordinal);
    }
}
