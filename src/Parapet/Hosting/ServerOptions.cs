namespace Parapet.Hosting;

/// <summary>The start-up options, the only settings that need a restart (DESIGN §6).</summary>
public sealed record ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:8080";
    public const string DefaultDataDir = "./parapet-data";

    /// <summary>Semicolon-separated listen URLs; the first is the default issuer. An https URL serves the TLS certificate below.</summary>
    public string Urls { get; init; } = DefaultUrls;
    public string DataDir { get; init; } = DefaultDataDir;
    /// <summary>Empty: SQLite in the data directory.</summary>
    public string? Database { get; init; }

    /// <summary>
    /// File holding 32 random bytes in base64 that encrypt the Data Protection key ring in the database; the same on every
    /// node of a shared database. Empty: <see cref="KeyEncryptionKey.DefaultFileName"/> in the data directory. Created when missing.
    /// </summary>
    public string? KeyEncryptionKey { get; init; }

    /// <summary>PEM certificate (with its chain) for the https listeners; goes with <see cref="TlsKey"/>.</summary>
    public string? TlsCert { get; init; }
    /// <summary>PEM private key of <see cref="TlsCert"/>.</summary>
    public string? TlsKey { get; init; }
    /// <summary>
    /// Without a certificate file: create (once, kept in the data directory, key mode 0600) a self-signed certificate for
    /// 127.0.0.1, ::1 and localhost. For development and tests; clients must be told to trust it.
    /// </summary>
    public bool TlsSelfSigned { get; init; }

    /// <summary>
    /// Semicolon-separated https URLs of the mutual-TLS listener (RFC 8705 §5): they ask for a client certificate. Empty: none.
    /// </summary>
    public string? MtlsUrls { get; init; }
    /// <summary>PEM bundle of the CAs whose certificates <c>tls_client_auth</c> clients may present (RFC 8705 §2.1). Empty: none.</summary>
    public string? MtlsTrustCa { get; init; }

    /// <summary>
    /// Behind a TLS-terminating proxy: the request header carrying the client certificate as URL-encoded PEM (nginx's
    /// <c>$ssl_client_escaped_cert</c>). Empty (the default): no header is read.
    /// </summary>
    public string? ClientCertHeader { get; init; }
    /// <summary>Comma-separated addresses or CIDR ranges of the proxies whose <see cref="ClientCertHeader"/> is believed.</summary>
    public string? TrustedProxies { get; init; }

    public string FirstUrl => Split(Urls)[0].TrimEnd('/');

    public static string[] Split(string? urls) => (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static ServerOptions FromEnvironment() => new()
    {
        Urls = Env("PARAPET_URLS") ?? DefaultUrls,
        DataDir = Env("PARAPET_DATA_DIR") ?? DefaultDataDir,
        Database = Environment.GetEnvironmentVariable("PARAPET_DB"),
        KeyEncryptionKey = Env("PARAPET_KEY_ENCRYPTION_KEY"),
        TlsCert = Env("PARAPET_TLS_CERT"),
        TlsKey = Env("PARAPET_TLS_KEY"),
        TlsSelfSigned = Env("PARAPET_TLS_SELF_SIGNED") is "1" or "true" or "TRUE" or "True",
        MtlsUrls = Env("PARAPET_MTLS_URLS"),
        MtlsTrustCa = Env("PARAPET_MTLS_TRUST_CA"),
        ClientCertHeader = Env("PARAPET_CLIENT_CERT_HEADER"),
        TrustedProxies = Env("PARAPET_TRUSTED_PROXIES"),
    };

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
