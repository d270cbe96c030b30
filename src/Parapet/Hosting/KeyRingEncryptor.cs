using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Parapet.Hosting;

/// <summary>
/// Encrypts the secret parts of Data Protection's keys with the <see cref="KeyEncryptionKey"/> (AES-256-GCM) before they are
/// stored. Hand-written over <see cref="AesGcm"/> rather than Data Protection's certificate encryptor: that one goes through
/// XML Encryption's DOM (<c>System.Security.Cryptography.Xml</c>, <c>XmlDocument</c>), which added ~6 MB to the server's peak
/// resident memory under the full flow (bench/README.md, session 11), against a budget of 150 MB; an operator's key is also
/// simpler as 32 random bytes than as a certificate.
/// </summary>
internal sealed class KeyRingEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(KeyRingCipher.Seal(key, plaintextElement), typeof(KeyRingDecryptor));
}

/// <summary>
/// Reads what <see cref="KeyRingEncryptor"/> wrote. Data Protection creates it by the type name stored beside each encrypted
/// key, with the application's services: keep the name (and namespace) as they are, or stored keys become unreadable.
/// </summary>
internal sealed class KeyRingDecryptor : IXmlDecryptor
{
    private readonly KeyEncryptionKey _key;

    public KeyRingDecryptor(IServiceProvider services) => _key = services.GetRequiredService<KeyEncryptionKey>();

    internal KeyRingDecryptor(KeyEncryptionKey key) => _key = key;

    public XElement Decrypt(XElement encryptedElement) => KeyRingCipher.Open(_key, encryptedElement);
}

/// <summary>
/// The stored form: <c>&lt;encryptedKey alg="A256GCM" kid="…"&gt;base64(nonce ‖ ciphertext ‖ tag)&lt;/encryptedKey&gt;</c>, the
/// plaintext being the element's XML; <c>kid</c> names the key-encryption key (<see cref="KeyEncryptionKey.Id"/>).
/// </summary>
internal static class KeyRingCipher
{
    private const string Algorithm = "A256GCM";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    // Binds the ciphertext to its use: the same key file could one day encrypt something else.
    private static readonly byte[] AssociatedData = "parapet.key-ring.v1"u8.ToArray();
    private static readonly XName Element = "encryptedKey";

    public static XElement Seal(KeyEncryptionKey key, XElement plaintext)
    {
        var clear = Encoding.UTF8.GetBytes(plaintext.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceBytes + clear.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Key, TagBytes);
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(NonceBytes, clear.Length), sealedBytes.AsSpan(NonceBytes + clear.Length), AssociatedData);
        CryptographicOperations.ZeroMemory(clear);
        return new XElement(Element, new XAttribute("alg", Algorithm), new XAttribute("kid", key.Id), Convert.ToBase64String(sealedBytes));
    }

    /// <exception cref="CryptographicException">Another key-encryption key, another algorithm, or altered bytes.</exception>
    public static XElement Open(KeyEncryptionKey key, XElement encrypted)
    {
        if (encrypted.Name != Element || (string?)encrypted.Attribute("alg") != Algorithm)
        {
            throw new CryptographicException($"Not a key encrypted by Parapet's key-encryption key ({encrypted.Name}).");
        }
        var kid = (string?)encrypted.Attribute("kid");
        if (kid != key.Id)
        {
            throw new CryptographicException($"Encrypted with the key-encryption key {kid}; this node's is {key.Id}.");
        }
        var sealedBytes = Convert.FromBase64String(encrypted.Value);
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The encrypted key is truncated.");
        }
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var clear = new byte[length];
        using var aes = new AesGcm(key.Key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), clear, AssociatedData);
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(clear));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }
}
