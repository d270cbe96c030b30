using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parapet.Hosting;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Storage;

namespace Parapet.Server.Tests.Startup;

/// <summary>
/// Data Protection's key ring (sessions, antiforgery, the signing keys' private parts) is stored in the database encrypted with
/// a key-encryption key kept outside it; keys an earlier version stored in the clear are encrypted at start; a node with
/// another key-encryption key refuses to start rather than split the key ring.
/// </summary>
public sealed class KeyRingEncryptionTests : IDisposable
{
    private const string Purpose = "parapet.tests.key-ring";
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "parapet-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_new_server_makes_its_key_encryption_key_in_the_data_directory_mode_0600_and_stores_no_key_in_the_clear()
    {
        var options = new ServerOptions { Urls = ParapetTestServer.Issuer, DataDir = _dataDir };
        var payload = await ProtectOnANewServerAsync(options, "session");

        var keyFile = Path.Combine(_dataDir, KeyEncryptionKey.DefaultFileName);
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(keyFile).Trim()).Length);
        var rows = await KeyRingRowsAsync(options);
        Assert.NotEmpty(rows);
        Assert.All(rows, AssertEncrypted);

        // A restart reads the ring it wrote with the same file, and what it protected.
        await using (var restarted = await BootAsync(options))
        {
            Assert.Equal("session", Protector(restarted.Services).Unprotect(payload));
        }
        Assert.Equal(rows, await KeyRingRowsAsync(options));
    }

    [Fact]
    public async Task Keys_an_earlier_version_stored_in_the_clear_are_encrypted_at_start_and_what_they_protected_stays_readable()
    {
        var payload = await ProtectAsBeforeKeyEncryptionAsync("session");
        var options = new ServerOptions { Urls = ParapetTestServer.Issuer, DataDir = _dataDir };
        Assert.Contains(await KeyRingRowsAsync(options), xml => xml.Contains("requiresEncryption", StringComparison.Ordinal));

        await using (var server = await ParapetTestServer.StartAsync(sharedDataDir: _dataDir))
        {
            Assert.Equal("session", Protector(server.Services).Unprotect(payload));
            Assert.Contains(server.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning
                && r.Message.StartsWith("Encrypted 1 Data Protection keys that were stored in the clear", StringComparison.Ordinal));
        }
        Assert.All(await KeyRingRowsAsync(options), AssertEncrypted);

        // Nothing left to encrypt at the next start, and the ring still reads.
        await using (var again = await ParapetTestServer.StartAsync(sharedDataDir: _dataDir))
        {
            Assert.Equal("session", Protector(again.Services).Unprotect(payload));
            Assert.DoesNotContain(again.Logs.GetSnapshot(), r => r.Message.StartsWith("Encrypted ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_node_with_another_key_encryption_key_refuses_to_start_leaves_no_key_file_and_changes_nothing()
    {
        var first = new ServerOptions { Urls = ParapetTestServer.Issuer, DataDir = _dataDir };
        var payload = await ProtectOnANewServerAsync(first, "session");
        var rows = await KeyRingRowsAsync(first);
        var otherKey = Path.Combine(_dataDir, "elsewhere", "other.key");
        var other = first with { KeyEncryptionKey = otherKey };

        await using var app2 = ParapetApp.Build(other, b => b.WebHost.UseTestServer());
        var error = await Assert.ThrowsAsync<StartupError>(() => Bootstrap.RunAsync(app2, other, CancellationToken.None));

        Assert.StartsWith($"Cannot read the database's Data Protection keys with the key-encryption key {otherKey} (", error.Message);
        Assert.Contains("; this node's is ", error.Message, StringComparison.Ordinal); // names both keys by id, neither by value
        Assert.EndsWith("Every node of a shared database needs the same file: copy it from the node that created the database, "
            + "or point --key-encryption-key (PARAPET_KEY_ENCRYPTION_KEY) at it.", error.Message);
        Assert.False(File.Exists(otherKey), "the refused start left the key-encryption key it made");
        Assert.Equal(rows, await KeyRingRowsAsync(first));
        await using var firstAgain = await BootAsync(first);
        Assert.Equal("session", Protector(firstAgain.Services).Unprotect(payload));
    }

    [Fact]
    public async Task A_node_with_another_key_encryption_key_does_not_encrypt_clear_keys_with_it_on_its_way_to_refusing()
    {
        // A ring half clear (an earlier version's key) and half encrypted with the cluster's key-encryption key.
        await ProtectAsBeforeKeyEncryptionAsync("old");
        var cluster = new ServerOptions { Urls = ParapetTestServer.Issuer, DataDir = _dataDir };
        await using (var app = ParapetApp.Build(cluster, b => b.WebHost.UseTestServer()))
        {
            // A key made by the cluster's node and stored encrypted, beside the clear one (a start would encrypt the clear one too).
            app.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.KeyManagement.IKeyManager>()
                .CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        }
        var rows = await KeyRingRowsAsync(cluster);
        Assert.Contains(rows, xml => xml.Contains("requiresEncryption", StringComparison.Ordinal));
        Assert.Contains(rows, xml => xml.Contains("<encryptedSecret", StringComparison.Ordinal));
        using var otherKey = new TemporaryKeyFile();
        var other = cluster with { KeyEncryptionKey = otherKey.Path };

        await using var app2 = ParapetApp.Build(other, b => b.WebHost.UseTestServer());
        await Assert.ThrowsAsync<StartupError>(() => Bootstrap.RunAsync(app2, other, CancellationToken.None));

        Assert.Equal(rows, await KeyRingRowsAsync(cluster));
        Assert.True(File.Exists(otherKey.Path), "a key file the operator gave was deleted");
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("c2hvcnQ=")] // base64, but 5 bytes
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==")] // 34 bytes
    public void A_key_encryption_key_file_without_32_bytes_in_base64_stops_the_server_with_a_message(string content)
    {
        Directory.CreateDirectory(_dataDir);
        var path = Path.Combine(_dataDir, "kek");
        File.WriteAllText(path, content);
        var options = new ServerOptions { Urls = ParapetTestServer.Issuer, DataDir = _dataDir, KeyEncryptionKey = path };

        var error = Assert.Throws<StartupError>(() => ParapetApp.Build(options));

        Assert.Equal($"The key-encryption key {path} must hold 32 random bytes in base64 (e.g. `openssl rand -base64 32`).", error.Message);
    }

    [Fact]
    public void An_operator_made_key_in_base64_with_a_trailing_newline_is_used_as_it_is()
    {
        Directory.CreateDirectory(_dataDir);
        var path = Path.Combine(_dataDir, "kek");
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(bytes) + "\n");

        var key = KeyEncryptionKey.LoadOrCreate(new ServerOptions { DataDir = _dataDir, KeyEncryptionKey = path });

        Assert.Equal(bytes, key.Key);
        Assert.False(key.CreatedNow);
    }

    [Fact]
    public void A_key_ring_secret_altered_in_the_database_or_sealed_with_another_key_does_not_open()
    {
        Directory.CreateDirectory(_dataDir);
        var key = KeyEncryptionKey.LoadOrCreate(new ServerOptions { DataDir = _dataDir });
        var other = KeyEncryptionKey.LoadOrCreate(new ServerOptions { DataDir = _dataDir, KeyEncryptionKey = Path.Combine(_dataDir, "other") });
        var secret = new System.Xml.Linq.XElement("masterKey", new System.Xml.Linq.XElement("value", "c2VjcmV0"));
        var sealedSecret = KeyRingCipher.Seal(key, secret);

        Assert.Equal(secret.ToString(), new KeyRingDecryptor(key).Decrypt(sealedSecret).ToString());
        Assert.DoesNotContain("c2VjcmV0", sealedSecret.ToString(), StringComparison.Ordinal);
        Assert.Throws<CryptographicException>(() => new KeyRingDecryptor(other).Decrypt(sealedSecret));
        var bytes = Convert.FromBase64String(sealedSecret.Value);
        bytes[^1] ^= 1;
        var altered = new System.Xml.Linq.XElement(sealedSecret) { Value = Convert.ToBase64String(bytes) };
        Assert.ThrowsAny<CryptographicException>(() => new KeyRingDecryptor(key).Decrypt(altered));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static void AssertEncrypted(string xml)
    {
        Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("requiresEncryption", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal); // the master key's clear form
    }

    /// <summary>Boots a server on <paramref name="options"/>, protects <paramref name="secret"/> with it, and stops it.</summary>
    private static async Task<string> ProtectOnANewServerAsync(ServerOptions options, string secret)
    {
        await using var app = await BootAsync(options);
        return Protector(app.Services).Protect(secret);
    }

    private static IDataProtector Protector(IServiceProvider services) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    private static async Task<WebApplication> BootAsync(ServerOptions options)
    {
        var app = ParapetApp.Build(options, b => b.WebHost.UseTestServer());
        await Bootstrap.RunAsync(app, options, CancellationToken.None);
        return app;
    }

    /// <summary>Protects <paramref name="secret"/> as Parapet did before key encryption: its storage's Data Protection, no encryptor.</summary>
    private async Task<string> ProtectAsBeforeKeyEncryptionAsync(string secret)
    {
        Directory.CreateDirectory(_dataDir);
        await using var provider = new ServiceCollection().AddLogging().AddParapetStorage(null, _dataDir).BuildServiceProvider();
        await StorageRegistration.MigrateAsync(provider, CancellationToken.None);
        return Protector(provider).Protect(secret);
    }

    private static async Task<List<string>> KeyRingRowsAsync(ServerOptions options)
    {
        await using var provider = new ServiceCollection().AddLogging().AddParapetStorage(options.Database, options.DataDir).BuildServiceProvider();
        await using var db = provider.GetRequiredService<Func<ParapetDbContext>>()();
        return await db.DataProtectionKeys.OrderBy(k => k.Id).Select(k => k.Xml!).ToListAsync();
    }

    /// <summary>A key-encryption key file an operator made (not by this start), deleted with the test.</summary>
    private sealed class TemporaryKeyFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "parapet-tests", $"kek-{Guid.NewGuid():N}.key");

        public TemporaryKeyFile() => KeyEncryptionKey.LoadOrCreate(new ServerOptions { KeyEncryptionKey = Path });

        public void Dispose() => File.Delete(Path);
    }
}
