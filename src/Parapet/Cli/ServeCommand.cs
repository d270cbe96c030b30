using System.CommandLine;
using Parapet.Hosting;

namespace Parapet.Cli;

/// <summary><c>parapet serve</c>: runs the server with the start-up options, the only settings that need a restart.</summary>
internal sealed class ServeCommand : Command
{
    private readonly Option<string?> _urls = new("--urls") { Description = "Listen URLs, ';'-separated; https ones serve the TLS certificate (env PARAPET_URLS; default http://127.0.0.1:8080)." };
    private readonly Option<string?> _dataDir = new("--data-dir") { Description = "Data directory (env PARAPET_DATA_DIR; default ./parapet-data)." };
    private readonly Option<string?> _db = new("--db") { Description = "Database connection string (env PARAPET_DB; default SQLite in the data directory)." };
    private readonly Option<string?> _keyEncryptionKey = new("--key-encryption-key")
    {
        Description = "File with 32 random bytes in base64 that encrypt the Data Protection keys stored in the database; the same file on every node (env PARAPET_KEY_ENCRYPTION_KEY; default key-encryption.key in the data directory, created at first start).",
        HelpName = "FILE",
    };
    private readonly Option<string?> _tlsCert = new("--tls-cert") { Description = "PEM certificate (and chain) for https listeners (env PARAPET_TLS_CERT).", HelpName = "FILE" };
    private readonly Option<string?> _tlsKey = new("--tls-key") { Description = "PEM private key of --tls-cert (env PARAPET_TLS_KEY).", HelpName = "FILE" };
    private readonly Option<bool> _tlsSelfSigned = new("--tls-self-signed")
    {
        Description = "Without --tls-cert: create and keep in the data directory a self-signed certificate for 127.0.0.1, ::1 and localhost (env PARAPET_TLS_SELF_SIGNED=true).",
    };
    private readonly Option<string?> _mtlsUrls = new("--mtls-urls")
    {
        Description = "https URLs, ';'-separated, of the mutual-TLS listener that asks for client certificates (env PARAPET_MTLS_URLS).",
        HelpName = "URLS",
    };
    private readonly Option<string?> _mtlsTrustCa = new("--mtls-trust-ca")
    {
        Description = "PEM bundle of the CAs trusted for tls_client_auth client certificates (env PARAPET_MTLS_TRUST_CA).",
        HelpName = "FILE",
    };
    private readonly Option<string?> _clientCertHeader = new("--client-cert-header")
    {
        Description = "Behind a TLS-terminating proxy: header carrying the client certificate as URL-encoded PEM, read only from --trusted-proxies (env PARAPET_CLIENT_CERT_HEADER; default off).",
        HelpName = "NAME",
    };
    private readonly Option<string?> _trustedProxies = new("--trusted-proxies")
    {
        Description = "Comma-separated addresses or CIDR ranges of the proxies allowed to send --client-cert-header (env PARAPET_TRUSTED_PROXIES).",
        HelpName = "LIST",
    };

    public ServeCommand()
        : base("serve", "Run the server. At first start it writes admin-credentials.json (mode 0600) to the data directory for the other commands.")
    {
        foreach (var option in new Option[] { _urls, _dataDir, _db, _keyEncryptionKey, _tlsCert, _tlsKey, _tlsSelfSigned, _mtlsUrls, _mtlsTrustCa, _clientCertHeader, _trustedProxies })
        {
            Options.Add(option);
        }
        this.WithExamples(
            "parapet serve",
            "parapet serve --urls http://127.0.0.1:8311 --data-dir /var/lib/parapet",
            "parapet serve --db \"Host=db;Database=parapet;Username=parapet\" --key-encryption-key /etc/parapet/key-encryption.key",
            "parapet serve --urls https://idp.example.com:443 --tls-cert /etc/parapet/tls.crt --tls-key /etc/parapet/tls.key",
            "parapet serve --urls https://127.0.0.1:8443 --tls-self-signed --mtls-urls https://127.0.0.1:9443 --mtls-trust-ca clients-ca.pem",
            "parapet serve --client-cert-header X-Client-Cert --trusted-proxies 127.0.0.1,10.0.0.0/8");
        SetAction(async (parse, ct) =>
        {
            RuntimeTuning.StartOverIfUntuned();
            var env = ServerOptions.FromEnvironment();
            var options = env with
            {
                Urls = parse.GetValue(_urls) ?? env.Urls,
                DataDir = parse.GetValue(_dataDir) ?? env.DataDir,
                Database = parse.GetValue(_db) ?? env.Database,
                KeyEncryptionKey = parse.GetValue(_keyEncryptionKey) ?? env.KeyEncryptionKey,
                TlsCert = parse.GetValue(_tlsCert) ?? env.TlsCert,
                TlsKey = parse.GetValue(_tlsKey) ?? env.TlsKey,
                TlsSelfSigned = parse.GetValue(_tlsSelfSigned) || env.TlsSelfSigned,
                MtlsUrls = parse.GetValue(_mtlsUrls) ?? env.MtlsUrls,
                MtlsTrustCa = parse.GetValue(_mtlsTrustCa) ?? env.MtlsTrustCa,
                ClientCertHeader = parse.GetValue(_clientCertHeader) ?? env.ClientCertHeader,
                TrustedProxies = parse.GetValue(_trustedProxies) ?? env.TrustedProxies,
            };
            try
            {
                return await ParapetApp.ServeAsync(options, ct);
            }
            catch (StartupError e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}");
                return CliRunner.Failure;
            }
        });
    }
}
