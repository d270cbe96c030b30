using System.Security.Cryptography;
using System.Text;

namespace Parapet.Protocol;

/// <summary>The one way handles (request-URI references, codes, refresh tokens, browser ids) are stored: a SHA-256, so a database dump cannot be replayed.</summary>
public static class Hashing
{
    public static string Sha256(string value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Sha256Utf8(value, hash);
        return Base64Url.Encode(hash);
    }

    /// <summary>SHA-256 of the UTF-8 of <paramref name="value"/> into <paramref name="hash"/>, without allocating for short values.</summary>
    public static void Sha256Utf8(string value, Span<byte> hash)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > 1024)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
            return;
        }
        Span<byte> utf8 = stackalloc byte[length];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(value, utf8)], hash);
    }

    /// <summary>A short, non-reversible tag for log lines that need to correlate a handle without revealing it.</summary>
    public static string LogTag(string value) => Sha256(value)[..8];

    /// <summary>A new opaque handle with 256 bits of randomness.</summary>
    public static string NewHandle()
    {
        Span<byte> random = stackalloc byte[32];
        SecureRandom.Fill(random);
        return Base64Url.Encode(random);
    }
}
