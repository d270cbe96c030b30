using System.Text.Json.Nodes;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Tests.Properties;

public sealed class PropertyDocumentTests
{
    private static Checked<ServerProperties> Parse(string members) => PropertyDocument.Parse("{" + members + "}");

    private static void AssertRefused(string members, string description)
    {
        var result = Parse(members);

        Assert.True(result.Failed, $"{members} was accepted");
        Assert.Equal(OAuthErrors.InvalidRequest, result.Error!.Code);
        Assert.Equal(description, result.Error.Description);
    }

    [Fact]
    public void An_empty_document_gives_parapets_defaults()
    {
        var p = Parse("").Value!;

        Assert.Equal(new ServerProperties() with { FeatureFlags = p.FeatureFlags, DpopSigningAlgValuesSupported = p.DpopSigningAlgValuesSupported }, p);
        Assert.Equal(["RS256", "PS256", "ES256"], p.DpopSigningAlgValuesSupported);
        Assert.Equal(FeatureFlagCatalog.Implemented.Order(StringComparer.Ordinal), p.FeatureFlags);
        Assert.Equal(600, p.DefaultParLifetime);
        Assert.True(p.RequirePkce);
        Assert.False(p.RequirePar);
        Assert.False(p.DynamicRegistrationEnabled);
        Assert.True(p.RequestUriParameterSupported);
    }

    [Fact]
    public void A_serialized_document_parses_back_to_the_same_properties()
    {
        var original = new ServerProperties
        {
            Issuer = "https://idp.example",
            ParEndpoint = "https://idp.example/custom/par",
            MtlsParEndpoint = "https://mtls.idp.example/par",
            RequirePar = true,
            DefaultParLifetime = 90,
            FeatureFlags = ["par", "userinfo"],
        };

        var parsed = PropertyDocument.Parse(PropertyDocument.Serialize(original)).Value!;

        Assert.Equal(original with { FeatureFlags = parsed.FeatureFlags, DpopSigningAlgValuesSupported = parsed.DpopSigningAlgValuesSupported }, parsed);
        Assert.Equal(["par", "userinfo"], parsed.FeatureFlags);
    }

    [Fact]
    public void The_stored_document_uses_janssen_property_names()
    {
        var json = PropertyDocument.ToJson(new ServerProperties());

        foreach (var name in new[] { "issuer", "parEndpoint", "mtlsParEndpoint", "requirePar", "defaultParLifetime", "parAllowUnregisteredRedirectUri",
            "parForbidPublicClient", "requestUriParameterSupported", "requestParameterSupported", "forceSignedRequestObject", "requirePkce",
            "fapiCompatibility", "featureFlags", "dynamicRegistrationEnabled", "errorReasonEnabled", "configurationUpdateInterval",
            "cleanServiceInterval", "cleanServiceBatchChunkSize", "authorizationCodeLifetime", "accessTokenLifetime", "refreshTokenLifetime", "sessionIdLifetime" })
        {
            Assert.True(json.ContainsKey(name), name);
        }
        Assert.False(json.ContainsKey("effectiveParEndpoint"));
    }

    [Theory]
    [InlineData("\"requirePar\":\"yes\"", "Property 'requirePar' must be a boolean.")]
    [InlineData("\"requirePar\":1", "Property 'requirePar' must be a boolean.")]
    [InlineData("\"dynamicRegistrationEnabled\":\"true\"", "Property 'dynamicRegistrationEnabled' must be a boolean.")]
    [InlineData("\"defaultParLifetime\":\"600\"", "Property 'defaultParLifetime' must be an integer.")]
    [InlineData("\"defaultParLifetime\":60.5", "Property 'defaultParLifetime' must be an integer.")]
    [InlineData("\"defaultParLifetime\":true", "Property 'defaultParLifetime' must be an integer.")]
    [InlineData("\"issuer\":42", "Property 'issuer' must be a string.")]
    [InlineData("\"parEndpoint\":false", "Property 'parEndpoint' must be a string.")]
    [InlineData("\"featureFlags\":\"par\"", "Property 'featureFlags' must be a list of strings.")]
    [InlineData("\"featureFlags\":[1]", "Property 'featureFlags' must be a list of strings.")]
    [InlineData("\"enabledFeatureFlags\":\"par\"", "Property 'featureFlags' must be a list of strings.")]
    public void A_value_of_the_wrong_type_is_refused_naming_the_property_and_its_type(string members, string description)
    {
        AssertRefused(members, description);
    }

    [Theory]
    [InlineData("\"nope\":1", "'nope' is not a known property.")]
    [InlineData("\"requirePAR\":true", "'requirePAR' is not a known property.")]
    [InlineData("\"requirePar\":true,\"parLifetime\":60", "'parLifetime' is not a known property.")]
    public void An_unknown_property_is_refused_by_name(string members, string description)
    {
        AssertRefused(members, description);
    }

    [Fact]
    public void Registration_defaults_are_open_registration_without_software_statements()
    {
        var p = Parse("").Value!;

        Assert.False(p.RegistrationRequireInitialAccessToken);
        Assert.Equal("refuse", p.RegistrationSoftwareStatementPolicy);
        Assert.Equal("", p.RegistrationSoftwareStatementJwks);
    }

    [Theory]
    [InlineData("\"registrationSoftwareStatementPolicy\":\"trust\"", "Property 'registrationSoftwareStatementPolicy' must be 'refuse' or 'verify'.")]
    [InlineData("\"registrationSoftwareStatementPolicy\":\"Verify\"", "Property 'registrationSoftwareStatementPolicy' must be 'refuse' or 'verify'.")]
    [InlineData("\"registrationSoftwareStatementJwks\":\"not json\"", "Property 'registrationSoftwareStatementJwks' must be a JSON Web Key Set with at least one public key.")]
    [InlineData("\"registrationSoftwareStatementJwks\":\"{\\\"keys\\\":[]}\"", "Property 'registrationSoftwareStatementJwks' must be a JSON Web Key Set with at least one public key.")]
    [InlineData("\"registrationSoftwareStatementJwks\":\"{\\\"keys\\\":[{\\\"kty\\\":\\\"oct\\\",\\\"k\\\":\\\"c2VjcmV0\\\"}]}\"", "Property 'registrationSoftwareStatementJwks' must be a JSON Web Key Set with at least one public key.")]
    [InlineData("\"registrationRequireInitialAccessToken\":\"yes\"", "Property 'registrationRequireInitialAccessToken' must be a boolean.")]
    public void Registration_properties_are_checked(string members, string description)
    {
        AssertRefused(members, description);
    }

    [Fact]
    public void A_jwks_of_public_keys_is_accepted_for_software_statements()
    {
        const string jwks = """{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}""";

        var p = Parse("\"registrationSoftwareStatementPolicy\":\"verify\",\"registrationSoftwareStatementJwks\":" + JsonValue.Create(jwks).ToJsonString()).Value!;

        Assert.Equal("verify", p.RegistrationSoftwareStatementPolicy);
        Assert.Equal(jwks, p.RegistrationSoftwareStatementJwks);
    }

    [Fact]
    public void EnabledFeatureFlags_is_an_alias_for_featureFlags()
    {
        var p = Parse("\"enabledFeatureFlags\":[\"par\",\"registration\"]").Value!;

        Assert.Equal(["par", "registration"], p.FeatureFlags);
        Assert.False(PropertyDocument.ToJson(p).ContainsKey("enabledFeatureFlags"));
    }

    [Theory]
    [InlineData("\"featureFlags\":[]")]
    [InlineData("\"enabledFeatureFlags\":[]")]
    [InlineData("\"featureFlags\":null")]
    public void An_empty_feature_flag_list_is_refused_with_a_clear_message(string members)
    {
        AssertRefused(members, "Property 'featureFlags' must list the enabled features explicitly; an empty list is refused (in Janssen it silently meant \"all\").");
    }

    [Theory]
    [InlineData("[\"par\",\"bogus\"]", "bogus")]
    [InlineData("[\"PAR\",\"par2\"]", "par2")]
    [InlineData("[\"\"]", "")]
    public void An_unknown_flag_is_refused_by_name(string flags, string unknown)
    {
        AssertRefused("\"featureFlags\":" + flags, $"Property 'featureFlags' contains the unknown flag '{unknown}'.");
    }

    [Fact]
    public void Janssen_flags_parapet_does_not_implement_are_accepted()
    {
        var p = Parse("\"featureFlags\":[\"par\",\"introspection\",\"uma\",\"metric\"]").Value!;

        Assert.Equal(["introspection", "metric", "par", "uma"], p.FeatureFlags);
        Assert.False(FeatureFlagCatalog.IsImplemented("uma"));
    }

    [Fact]
    public void Flags_are_stored_lower_case_sorted_and_once()
    {
        var p = Parse("\"featureFlags\":[\"USERINFO\",\"par\",\"Par\"]").Value!;

        Assert.Equal(["par", "userinfo"], p.FeatureFlags);
        Assert.True(p.IsEnabled("PAR"));
        Assert.False(p.IsEnabled("registration"));
    }

    [Theory]
    [InlineData("parEndpoint", "not a url")]
    [InlineData("parEndpoint", "/par")]
    [InlineData("parEndpoint", "ftp://idp.example/par")]
    [InlineData("parEndpoint", "https://idp.example/par?x=1")]
    [InlineData("parEndpoint", "https://idp.example/par#x")]
    [InlineData("mtlsParEndpoint", "mtls.idp.example/par")]
    [InlineData("authorizationEndpoint", "urn:example:authorize")]
    [InlineData("tokenEndpoint", "https://")]
    [InlineData("jwksUri", "file:///etc/passwd")]
    [InlineData("registrationEndpoint", "javascript:alert(1)")]
    [InlineData("userInfoEndpoint", "idp.example")]
    [InlineData("mtlsTokenEndpoint", "wss://idp.example/token")]
    [InlineData("issuer", "idp.example")]
    public void A_url_property_must_be_an_absolute_http_url_without_query_or_fragment(string name, string value)
    {
        AssertRefused($"\"{name}\":\"{value}\"", $"Property '{name}' must be an absolute http(s) URL without query or fragment.");
    }

    [Theory]
    [InlineData("issuer", "")]
    [InlineData("issuer", "  ")]
    public void The_issuer_is_required(string name, string value)
    {
        AssertRefused($"\"{name}\":\"{value}\"", "Property 'issuer' is required.");
    }

    [Theory]
    [InlineData("parEndpoint", "")]
    [InlineData("mtlsParEndpoint", "")]
    [InlineData("parEndpoint", "https://idp.example/custom/par")]
    [InlineData("mtlsParEndpoint", "https://mtls.idp.example/par")]
    [InlineData("tokenEndpoint", "http://127.0.0.1:8080/token")]
    public void A_url_property_may_be_blank_or_an_absolute_url(string name, string value)
    {
        var result = Parse($"\"{name}\":\"{value}\"");

        Assert.False(result.Failed, result.Error?.Description);
    }

    [Theory]
    [InlineData("defaultParLifetime", 5, 3600)]
    [InlineData("configurationUpdateInterval", 1, 3600)]
    [InlineData("cleanServiceInterval", 1, 86400)]
    [InlineData("cleanServiceBatchChunkSize", 1, 1_000_000)]
    [InlineData("authorizationCodeLifetime", 1, 600)]
    [InlineData("accessTokenLifetime", 1, 86400)]
    [InlineData("refreshTokenLifetime", 1, 31_536_000)]
    [InlineData("sessionIdLifetime", 60, 31_536_000)]
    public void An_integer_property_is_checked_against_its_range(string name, int min, int max)
    {
        var description = $"Property '{name}' must be between {min} and {max}.";

        Assert.False(Parse($"\"{name}\":{min}").Failed);
        Assert.False(Parse($"\"{name}\":{max}").Failed);
        AssertRefused($"\"{name}\":{min - 1}", description);
        AssertRefused($"\"{name}\":{max + 1}", description);
        AssertRefused($"\"{name}\":-1", description);
    }

    [Theory]
    [InlineData("[]", "The properties document must be a JSON object.")]
    [InlineData("null", "The properties document must be a JSON object.")]
    [InlineData("\"text\"", "The properties document must be a JSON object.")]
    [InlineData("{", "The properties document is not valid JSON.")]
    [InlineData("", "The properties document is not valid JSON.")]
    public void A_document_that_is_not_an_object_is_refused(string json, string description)
    {
        var result = PropertyDocument.Parse(json);

        Assert.Equal(description, result.Error!.Description);
    }

    [Fact]
    public void Parsing_does_not_change_the_callers_document()
    {
        var document = new JsonObject { ["enabledFeatureFlags"] = new JsonArray("par") };

        PropertyDocument.Parse(document);

        Assert.True(document.ContainsKey("enabledFeatureFlags"));
        Assert.False(document.ContainsKey("featureFlags"));
    }

    [Theory]
    [InlineData(null, 600)]
    [InlineData(0, 600)]
    [InlineData(30, 30)]
    public void The_par_lifetime_is_the_clients_else_the_default(int? clientLifetime, int expected)
    {
        Assert.Equal(expected, new ServerProperties { DefaultParLifetime = 600 }.ParLifetimeFor(clientLifetime));
    }

    [Fact]
    public void Blank_endpoints_default_to_paths_under_the_issuer()
    {
        var p = new ServerProperties { Issuer = "https://idp.example/" };

        Assert.Equal("https://idp.example/par", p.EffectiveParEndpoint);
        Assert.Equal("https://idp.example/authorize", p.EffectiveAuthorizationEndpoint);
        Assert.Equal("https://other.example/par", (p with { ParEndpoint = "https://other.example/par" }).EffectiveParEndpoint);
    }
}
