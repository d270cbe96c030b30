using System.Net;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Dpop;

/// <summary>DESIGN §7: no proof and no token in any log line, also when a proof is refused.</summary>
public sealed class DpopLogHygieneTests
{
    [Fact]
    public async Task Proofs_and_bound_tokens_stay_out_of_the_logs()
    {
        await using var server = await DpopSteps.ServerAsync();
        var key = DpopKey.Ec();
        var now = server.Time.GetUtcNow();
        var parProof = key.Proof("POST", DpopSteps.ParUrl, now);
        var tokenProof = key.Proof("POST", DpopSteps.TokenUrl, now);
        var code = await server.CodeAsync(parProof);
        using var token = await server.RedeemAsync(code, proofs: tokenProof);
        var accessToken = (await Steps.JsonAsync(token))["access_token"]!.GetValue<string>();
        var userInfoProof = key.Proof("GET", DpopSteps.UserInfoUrl, now, accessToken);
        using (var userInfo = await server.UserInfoAsync("DPoP", accessToken, userInfoProof))
        using (var replayed = await server.ClientCredentialsAsync(tokenProof))
        using (var asBearer = await server.UserInfoAsync("Bearer", accessToken, proof: null))
        {
            Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, asBearer.StatusCode);
        }
        string[] secrets = [parProof, tokenProof, userInfoProof, accessToken, code, .. new[] { parProof, tokenProof, userInfoProof }.Select(p => p.Split('.')[2])];

        var records = server.Logs.GetSnapshot();

        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            var text = string.Join("\n", [record.Message, record.Exception?.ToString() ?? "", .. (record.StructuredState ?? []).Select(p => p.Key + "=" + p.Value)]);
            Assert.DoesNotContain(secrets, s => text.Contains(s, StringComparison.Ordinal));
        }
    }
}
