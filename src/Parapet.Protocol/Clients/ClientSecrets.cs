using System.Security.Cryptography;
using System.Text;

namespace Parapet.Protocol.Clients;

/// <summary>Generating, hashing and checking client secrets.</summary>
public static class ClientSecrets
{
    /// <summary>Operator-supplied secrets shorter than this are refused (DESIGN §2.4).</summary>
    public const int MinimumLength = 32;

    /// <summary>A new secret with 256 bits of randomness.</summary>
    public static string Generate() => Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Constant-time: the comparison takes as long whatever the presented secret.</summary>
    public static bool Matches(byte[]? storedHash, string? presented)
    {
        if (storedHash is null || presented is null)
        {
            return false;
        }
        // Hashed on the stack: this runs on every push and token request of a client_secret_* client.
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hashing.Sha256Utf8(presented, hash);
        return CryptographicOperations.FixedTimeEquals(storedHash, hash);
    }
}
