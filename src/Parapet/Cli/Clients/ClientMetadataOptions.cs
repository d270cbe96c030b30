using System.CommandLine;
using System.Text.Json.Nodes;

namespace Parapet.Cli.Clients;

/// <summary>The client metadata options of <c>clients add</c> and <c>clients update</c>, mapped to their RFC 7591 / Janssen names.</summary>
internal sealed class ClientMetadataOptions
{
    private readonly Option<string?> _name = new("--name") { Description = "client_name.", HelpName = "TEXT" };
    private readonly Option<string[]> _redirectUris = new("--redirect-uri") { Description = "redirect_uris; repeat for several.", HelpName = "URI" };
    private readonly Option<string[]> _postLogoutRedirectUris = new("--post-logout-redirect-uri") { Description = "post_logout_redirect_uris; repeat for several.", HelpName = "URI" };
    private readonly Option<string?> _authMethod = new("--auth-method")
    {
        Description = "token_endpoint_auth_method: client_secret_basic (default), client_secret_post, private_key_jwt, tls_client_auth, none, …",
        HelpName = "METHOD",
    };
    private readonly Option<string[]> _grantTypes = new("--grant-type")
    {
        Description = "grant_types; repeat for several (default authorization_code and refresh_token).",
        HelpName = "GRANT",
    };
    private readonly Option<string?> _scope = new("--scope") { Description = "scope: space-separated, e.g. \"openid profile\".", HelpName = "SCOPES" };
    private readonly Option<int?> _parLifetime = new("--par-lifetime") { Description = "par_lifetime in seconds, 5-3600 (0: the server's defaultParLifetime).", HelpName = "N" };
    private readonly Option<bool?> _requirePar = Switch("--require-par", "require_par: this client must use PAR (bare flag = true).");
    private readonly Option<bool?> _trusted = Switch("--trusted", "trusted: skip the consent page (bare flag = true).");
    private readonly Option<bool?> _dpopBound = Switch("--dpop-bound-access-tokens", "dpop_bound_access_tokens: every token request must carry a DPoP proof (bare flag = true).");
    private readonly Option<bool?> _fapi = Switch("--fapi", "fapi_compatibility: this client follows the FAPI 2.0 Security Profile (bare flag = true).");
    private readonly Option<bool?> _disabled = Switch("--disabled", "disabled: refuse every request of this client (bare flag = true).");
    private readonly Option<string?> _applicationType = new("--application-type") { Description = "application_type: web or native.", HelpName = "TYPE" };
    /// <summary>RFC 8705 §2.1.2: the one certificate subject of a tls_client_auth client, by wire name.</summary>
    private readonly (string Field, Option<string?> Option)[] _tlsSubject =
    [
        ("tls_client_auth_subject_dn", new("--tls-subject-dn") { Description = "tls_client_auth_subject_dn: the certificate's subject DN (RFC 4514), e.g. \"CN=app,O=Example\".", HelpName = "DN" }),
        ("tls_client_auth_san_dns", new("--tls-san-dns") { Description = "tls_client_auth_san_dns: a DNS name in the certificate's SAN.", HelpName = "NAME" }),
        ("tls_client_auth_san_uri", new("--tls-san-uri") { Description = "tls_client_auth_san_uri: a URI in the certificate's SAN.", HelpName = "URI" }),
        ("tls_client_auth_san_ip", new("--tls-san-ip") { Description = "tls_client_auth_san_ip: an IP address in the certificate's SAN.", HelpName = "IP" }),
        ("tls_client_auth_san_email", new("--tls-san-email") { Description = "tls_client_auth_san_email: an email address in the certificate's SAN.", HelpName = "EMAIL" }),
    ];
    private readonly Option<bool?> _certificateBound = Switch("--certificate-bound-tokens",
        "tls_client_certificate_bound_access_tokens: bind access tokens to the client's TLS certificate (bare flag = true).");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _name, _redirectUris, _postLogoutRedirectUris, _authMethod, _grantTypes, _scope, _parLifetime, _requirePar, _trusted, _dpopBound, _fapi, _disabled, _applicationType })
        {
            command.Options.Add(option);
        }
        foreach (var (_, option) in _tlsSubject)
        {
            command.Options.Add(option);
        }
        command.Options.Add(_certificateBound);
    }

    /// <summary>Only the metadata given on the command line; the server keeps the rest (on update) or applies its defaults (on add).</summary>
    public JsonObject Read(ParseResult parse)
    {
        var metadata = new JsonObject();
        Set(metadata, "client_name", parse.GetValue(_name));
        Set(metadata, "redirect_uris", List(parse.GetValue(_redirectUris)));
        Set(metadata, "post_logout_redirect_uris", List(parse.GetValue(_postLogoutRedirectUris)));
        Set(metadata, "token_endpoint_auth_method", parse.GetValue(_authMethod));
        Set(metadata, "grant_types", List(parse.GetValue(_grantTypes)));
        Set(metadata, "scope", parse.GetValue(_scope));
        Set(metadata, "par_lifetime", parse.GetValue(_parLifetime));
        Set(metadata, "require_par", parse.GetValue(_requirePar));
        Set(metadata, "trusted", parse.GetValue(_trusted));
        Set(metadata, "dpop_bound_access_tokens", parse.GetValue(_dpopBound));
        Set(metadata, "fapi_compatibility", parse.GetValue(_fapi));
        Set(metadata, "disabled", parse.GetValue(_disabled));
        Set(metadata, "application_type", parse.GetValue(_applicationType));
        foreach (var (field, option) in _tlsSubject)
        {
            Set(metadata, field, parse.GetValue(option));
        }
        Set(metadata, "tls_client_certificate_bound_access_tokens", parse.GetValue(_certificateBound));
        return metadata;
    }

    private static Option<bool?> Switch(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "true|false",
        Arity = ArgumentArity.ZeroOrOne,
        // A bare "--require-par" means true, as for any flag; absent means "leave as is".
        CustomParser = r => r.Tokens.Count == 0 ? true
            : bool.TryParse(r.Tokens[0].Value, out var value) ? value
            : Fail(r, $"{name} takes true or false, not '{r.Tokens[0].Value}'."),
    };

    private static bool? Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }

    private static JsonArray? List(string[]? values) =>
        values is { Length: > 0 } ? new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()) : null;

    private static void Set(JsonObject metadata, string name, JsonNode? value)
    {
        if (value is not null)
        {
            metadata[name] = value;
        }
    }

    private static void Set<T>(JsonObject metadata, string name, T? value) where T : struct
    {
        if (value is { } v)
        {
            metadata[name] = JsonValue.Create(v);
        }
    }
}
