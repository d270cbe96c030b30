using Parapet.Protocol.Clients;
using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Fapi;

/// <summary>
/// FAPI 2.0 Security Profile (final): who it applies to, and the few constants its rules share. The rules themselves live
/// where the checks they tighten already are (PKCE, client authentication, the token service, signing), each citing its section.
/// </summary>
public static class FapiProfile
{
    /// <summary>§5.3.2.1: confidential clients only, authenticated by mutual TLS (RFC 8705) or <c>private_key_jwt</c>.</summary>
    public static readonly IReadOnlyList<string> AuthMethods =
        [ClientAuthMethods.PrivateKeyJwt, ClientAuthMethods.TlsClientAuth, ClientAuthMethods.SelfSignedTlsClientAuth];

    /// <summary>
    /// §5.4.1: PS256 or ES256 (EdDSA is allowed too, but not implemented here) for every JWS: client assertions, request objects,
    /// DPoP proofs, ID tokens and JWT access tokens.
    /// </summary>
    public static readonly IReadOnlyList<string> SigningAlgorithms = ["PS256", "ES256"];

    /// <summary>§5.3.2.2: authorization codes live at most 60 seconds.</summary>
    public const int MaxCodeLifetime = 60;

    /// <summary>
    /// §5.4.1 for DPoP proofs (RFC 9449): the properties a FAPI client's proofs are checked with, <c>dpopSigningAlgValuesSupported</c>
    /// narrowed to PS256 and ES256; everyone else's unchanged. (An operator list without either refuses every FAPI proof, and says so.)
    /// </summary>
    public static ServerProperties ForDpopProofsOf(Client client, ServerProperties properties) =>
        AppliesTo(properties, client)
            ? properties with { DpopSigningAlgValuesSupported = properties.DpopSigningAlgValuesSupported.Where(SigningAlgorithms.Contains).ToArray() }
            : properties;

    /// <summary>
    /// The profile applies to a request of <paramref name="client"/> when the client's own <c>fapi_compatibility</c> is on, or
    /// the server's <c>fapiCompatibility</c> is. The global switch spares clients that hold <c>parapet.admin</c>: they are the
    /// server's own management channel (CLI, TUI, console get their admin tokens by client_credentials with a secret), which
    /// FAPI does not describe, and locking them out would leave no way to turn the switch off again.
    /// </summary>
    public static bool AppliesTo(ServerProperties properties, Client client) =>
        client.FapiCompatibility || (properties.FapiCompatibility && !client.Scopes.Contains(ScopeCatalog.Admin));
}
