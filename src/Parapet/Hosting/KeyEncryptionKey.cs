using System.Security.Cryptography;

namespace Parapet.Hosting;

/// <summary>
/// The key that encrypts Data Protection's key ring where it is stored, in the database. The key ring protects the browser
/// session cookies, antiforgery tokens, stored <c>client_secret_jwt</c> secrets and the signing keys' private parts; kept in
/// the clear beside them, anyone who can read the database (a backup, a replica, a leaked dump) could forge a session or sign
/// tokens. So the ring is encrypted (<see cref="KeyRingEncryptor"/>) with 256 random bits kept apart from the database: a file
/// holding them in base64, <c>--key-encryption-key FILE</c>, by default <see cref="DefaultFileName"/> in the data directory,
/// created at first start (mode 0600). Every node of a shared database needs the same file.
/// </summary>
internal sealed class KeyEncryptionKey
{
    public const string DefaultFileName = "key-encryption.key";
    private const int KeyBytes = 32;

    private KeyEncryptionKey(byte[] key, string path, bool createdNow)
    {
        Key = key;
        Path = path;
        CreatedNow = createdNow;
        // Names the key in what it encrypts, so a node with another key can say so instead of failing to decrypt blindly.
        Id = Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));
    }

    /// <summary>The AES-256 key.</summary>
    public byte[] Key { get; }
    public string Path { get; }
    /// <summary>This start made the file (so it cannot be the key of a database that already has an encrypted ring).</summary>
    public bool CreatedNow { get; }
    /// <summary>The first 8 bytes of the key's SHA-256, in hex: identifies the key, reveals nothing of it.</summary>
    public string Id { get; }

    public static string PathFor(ServerOptions options) =>
        options.KeyEncryptionKey ?? System.IO.Path.Combine(options.DataDir, DefaultFileName);

    /// <summary>Loads the file, or creates it when it does not exist yet.</summary>
    /// <exception cref="StartupError">The file cannot be read or does not hold 32 bytes in base64.</exception>
    public static KeyEncryptionKey LoadOrCreate(ServerOptions options)
    {
        var path = PathFor(options);
        if (File.Exists(path))
        {
            return new KeyEncryptionKey(Load(path), path, createdNow: false);
        }
        var created = Create(path);
        return new KeyEncryptionKey(Load(path), path, createdNow: created);
    }

    private static byte[] Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupError($"Cannot read the key-encryption key {path}: {e.Message}", e);
        }
        var key = new byte[KeyBytes];
        // The message names the file, never its content.
        return Convert.TryFromBase64String(text, key, out var written) && written == KeyBytes
            ? key
            : throw new StartupError($"The key-encryption key {path} must hold {KeyBytes} random bytes in base64 (e.g. `openssl rand -base64 {KeyBytes}`).");
    }

    /// <returns>False when another process created the file first (its key is the one to use).</returns>
    private static bool Create(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        // Written to a temporary name and moved, so a crash never leaves half a key where the next start would look for one.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        PrivateFile.Write(temporary, Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)) + "\n");
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
