using System.Security.Cryptography;
using System.Text;

namespace Parapet.Protocol;

/// <summary>The one way handles (request-URI references, codes, refresh tokens, browser ids) are stored: a SHA-256, so a database dump cannot be replayed.</summary>
public static class Hashing
{
    public static string Sha256(string value) => Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>A short, non-reversible tag for log lines that need to correlate a handle without revealing it.</summary>
    public static string LogTag(string value) => Sha256(value)[..8];

    /// <summary>A new opaque handle with 256 bits of randomness.</summary>
    public static string NewHandle() => Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
}
