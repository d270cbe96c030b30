using System.Text.Json;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Tests.Requests;

public sealed class RequestJsonTests
{
    private static readonly AuthorizationRequest Typical = new()
    {
        ClientId = "app",
        ResponseType = "code",
        RedirectUri = "https://app.example/cb",
        Scope = "openid profile",
        State = "s1",
        Nonce = "n1",
        CodeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        CodeChallengeMethod = "S256",
    };

    [Fact]
    public void Parameters_the_request_did_not_send_are_left_out_of_the_stored_json()
    {
        var json = JsonSerializer.Serialize(Typical, RequestJson.Default.AuthorizationRequest);

        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("prompt", json, StringComparison.Ordinal);
        Assert.Contains("\"code_challenge_method\":\"S256\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stored_json_reads_back_as_the_same_request()
    {
        var request = Typical with { Prompt = "login consent", MaxAge = "0", DpopJkt = "jkt" };

        var json = JsonSerializer.Serialize(request, RequestJson.Default.AuthorizationRequest);

        Assert.Equal(request, JsonSerializer.Deserialize(json, RequestJson.Default.AuthorizationRequest));
    }

    [Fact]
    public void A_row_stored_with_explicit_nulls_reads_as_before()
    {
        // What every push stored before absent parameters were left out.
        const string older = """{"client_id":"app","response_type":"code","redirect_uri":"https://app.example/cb","scope":"openid profile","state":"s1","nonce":"n1","code_challenge":"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM","code_challenge_method":"S256","response_mode":null,"prompt":null,"max_age":null,"claims":null,"login_hint":null,"ui_locales":null,"acr_values":null,"display":null,"dpop_jkt":null}""";

        Assert.Equal(Typical, JsonSerializer.Deserialize(older, RequestJson.Default.AuthorizationRequest));
    }
}
