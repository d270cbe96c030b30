namespace Parapet.Protocol.Dpop;

/// <summary>The JWS algorithms a DPoP proof may use: asymmetric only (RFC 9449 §4.2), so no shared secret can forge one.</summary>
public static class DpopAlgorithms
{
    public static readonly IReadOnlyList<string> Asymmetric =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];
}
