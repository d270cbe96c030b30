using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parapet.Hosting;

/// <summary>
/// The key that encrypts Data Protection's key ring where it is stored, in the database. The key ring protects the browser
/// session cookies, antiforgery tokens and the signing keys' private parts; kept in the clear beside them, anyone who can read
/// the database (a backup, a replica, a leaked dump) could forge a session or sign tokens. So the ring is encrypted with a key
/// kept apart from the database: a PEM file holding an RSA certificate and its private key (Data Protection's certificate
/// encryptor wraps each key with RSA-OAEP and AES-256), <c>--key-encryption-key FILE</c>, by default
/// <see cref="DefaultFileName"/> in the data directory, created at first start (mode 0600). Every node of a shared database
/// needs the same file.
/// </summary>
internal sealed record KeyEncryptionKey(X509Certificate2 Certificate, string Path, bool CreatedNow)
{
    public const string DefaultFileName = "key-encryption-key.pem";
    private const int RsaBits = 3072;
    // Data Protection never checks the certificate's dates; a long validity keeps any other tool from calling it expired.
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365 * 50);

    public static string PathFor(ServerOptions options) =>
        options.KeyEncryptionKey ?? System.IO.Path.Combine(options.DataDir, DefaultFileName);

    /// <summary>Loads the file, or creates it when it does not exist yet.</summary>
    /// <exception cref="StartupError">The file exists but does not hold an RSA certificate with its private key.</exception>
    public static KeyEncryptionKey LoadOrCreate(ServerOptions options)
    {
        var path = PathFor(options);
        if (File.Exists(path))
        {
            return new KeyEncryptionKey(Load(path), path, CreatedNow: false);
        }
        var created = Create(path);
        return new KeyEncryptionKey(Load(path), path, CreatedNow: created);
    }

    private static X509Certificate2 Load(string path)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(path, keyPemFilePath: null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The message names the file and the reason, never the key's content.
            throw new StartupError($"Cannot load the key-encryption key {path}: {e.Message}", e);
        }
        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            certificate.Dispose();
            throw new StartupError($"The key-encryption key {path} must hold an RSA certificate and its private key (PEM).");
        }
        return certificate;
    }

    /// <returns>False when another process created the file first (its key is the one to use).</returns>
    private static bool Create(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        using var key = RSA.Create(RsaBits);
        var request = new CertificateRequest("CN=Parapet key-encryption key", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, critical: true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Lifetime));
        // One file, private key first, created 0600 so the key is never readable by others, not even for a moment; written
        // to a temporary name and moved, so a crash never leaves half a key where the next start would look for one.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        PrivateFile.Write(temporary, key.ExportPkcs8PrivateKeyPem() + "\n" + certificate.ExportCertificatePem() + "\n");
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }
}
