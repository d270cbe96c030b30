using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parapet.Storage;

namespace Parapet.Hosting;

/// <summary>
/// At every start, before anything uses Data Protection: the stored key ring is encrypted with this node's
/// <see cref="KeyEncryptionKey"/> and this node can read it.
/// <list type="bullet">
/// <item>Keys stored in the clear (by a version before key encryption) are encrypted in place. Data Protection encrypts only
/// the keys it creates and has no API to encrypt existing ones, so this does what its key manager does when it writes a new key
/// (its documented key storage format): each element marked <c>requiresEncryption</c> is replaced by an
/// <c>encryptedSecret</c> element holding the encryptor's output and naming its decryptor. The key's secret itself is unchanged,
/// so everything it protected (sessions, signing keys) stays readable.</item>
/// <item>A key that is still in use (not expired) and that this node cannot decrypt means the node has another
/// key-encryption key than the node that created the ring. Serving anyway would make Data Protection create a key of its own,
/// which the other nodes cannot read (sessions and secrets that work on one node only), so the start stops with what to do.</item>
/// </list>
/// </summary>
internal static class KeyRingProtection
{
    private static readonly XNamespace Ns = "http://schemas.asp.net/2015/03/dataProtection";
    private static readonly XName RequiresEncryption = Ns + "requiresEncryption";
    private static readonly XName EncryptedSecret = Ns + "encryptedSecret";

    /// <exception cref="StartupError">A key in use cannot be decrypted with this node's key-encryption key.</exception>
    public static async Task SecureAsync(IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        var kek = services.GetRequiredService<KeyEncryptionKey>();
        await using var db = services.GetRequiredService<Func<ParapetDbContext>>()();
        var rows = (await db.DataProtectionKeys.AsTracking().ToListAsync(ct))
            .Where(row => row.Xml is not null)
            .Select(row => (Row: row, Xml: XElement.Parse(row.Xml!)))
            .ToList();
        // Read before writing: a node with the wrong key must not encrypt clear keys with it on its way to refusing.
        var decryptor = new KeyRingDecryptor(kek);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var unreadable = rows.Where(r => InUse(r.Xml, now))
            .Select(r => Unreadable(decryptor, r.Xml))
            .OfType<string>()
            .ToList();
        if (unreadable.Count > 0)
        {
            if (kek.CreatedNow)
            {
                // The file this start created cannot be the right one: leave no key behind that the operator might copy around.
                File.Delete(kek.Path);
            }
            throw new StartupError($"Cannot read the database's Data Protection keys with the key-encryption key {kek.Path} "
                + $"({string.Join("; ", unreadable)}). Every node of a shared database needs the same file: copy it from the node that "
                + "created the database, or point --key-encryption-key (PARAPET_KEY_ENCRYPTION_KEY) at it.");
        }
        var encryptor = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlEncryptor
            ?? throw new InvalidOperationException("Data Protection has no key encryptor configured.");
        var encrypted = 0;
        foreach (var (row, xml) in rows)
        {
            if (EncryptClearElements(xml, encryptor))
            {
                row.Xml = xml.ToString(SaveOptions.DisableFormatting);
                encrypted++;
            }
        }
        if (encrypted == 0)
        {
            return;
        }
        await db.SaveChangesAsync(ct);
        logger.LogWarning("Encrypted {Count} Data Protection keys that were stored in the clear with the key-encryption key {Path}. "
            + "Copies of the database made before now (backups, replicas) still hold them readable", encrypted, kek.Path);
    }

    /// <summary>A key element (not a revocation) whose expiration date has not passed.</summary>
    private static bool InUse(XElement xml, DateTimeOffset now) =>
        xml.Name == "key" && (xml.Element("expirationDate") is not { } expires || (DateTimeOffset)expires > now);

    /// <returns>"key id: reason" when a secret of the key cannot be decrypted; null when every one can.</returns>
    /// <remarks>
    /// Decrypted here directly rather than through Data Protection's key manager, which would log each failure with a stack
    /// trace before this start stops with one clear line.
    /// </remarks>
    private static string? Unreadable(KeyRingDecryptor decryptor, XElement key)
    {
        foreach (var secret in key.Descendants(EncryptedSecret))
        {
            var type = (string?)secret.Attribute("decryptorType");
            if (type is null || !type.StartsWith(typeof(KeyRingDecryptor).FullName + ",", StringComparison.Ordinal))
            {
                return $"{(string?)key.Attribute("id")}: encrypted by {type ?? "an unnamed decryptor"}";
            }
            try
            {
                decryptor.Decrypt(secret.Elements().Single());
            }
            catch (Exception e)
            {
                // Whatever the reason (another key-encryption key, a damaged row), a key in use that cannot be read is the same fault.
                return $"{(string?)key.Attribute("id")}: {e.Message}";
            }
        }
        return null;
    }

    /// <returns>Whether the key had elements in the clear (now replaced by their encrypted form).</returns>
    private static bool EncryptClearElements(XElement key, IXmlEncryptor encryptor)
    {
        var clear = key.Descendants().Where(e => (bool?)e.Attribute(RequiresEncryption) == true).ToList();
        foreach (var element in clear)
        {
            var result = encryptor.Encrypt(new XElement(element));
            element.ReplaceWith(new XElement(EncryptedSecret,
                new XAttribute("decryptorType", result.DecryptorType.AssemblyQualifiedName!),
                result.EncryptedElement));
        }
        return clear.Count > 0;
    }
}
