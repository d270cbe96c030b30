using System.Buffers;
using System.Buffers.Binary;

namespace Parapet.Protocol.Par;

/// <summary>
/// The request URI handed out by <c>/par</c>: the RFC 9126 URN prefix and a reference carrying 32 random bytes (256 bits,
/// against Janssen's 122-bit UUID), preceded by the 6-byte issue time. Only a SHA-256 of the reference is stored.
/// </summary>
/// <remarks>
/// Why the time is in the reference: the stored key starts with it (in hex, which sorts like the number), so new rows go to
/// the right edge of the key index. With a key that is only a hash, every push wrote to its own random page of the index:
/// one 4 KB log frame per push, each copied back and synced at the next checkpoint, and with a million rows stored most of
/// those pages were no longer in memory (bench/README.md). The time tells the holder nothing it does not know already.
/// </remarks>
public static class RequestUri
{
    public const string Prefix = "urn:ietf:params:oauth:request_uri:";
    public const int RandomBytes = 32;
    private const int TimeBytes = 6; // Unix milliseconds, big-endian: good until the year 10889
    private const int TimeChars = 8; // base64url of the 6 time bytes, no padding
    private const int ReferenceLength = 51; // 38 bytes in base64url without padding
    private const int KeyLength = 2 * TimeBytes + 43; // the issue time in hex, then the base64url SHA-256 of the reference

    /// <summary>
    /// The reference format of earlier versions: 32 random bytes alone, stored under their bare SHA-256. Still resolved, so
    /// request URIs issued before an upgrade keep working until they expire.
    /// </summary>
    private const int LegacyReferenceLength = 43;

    /// <summary>The base64url alphabet, without padding: the only characters a reference can hold.</summary>
    private static readonly SearchValues<char> Base64UrlChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string NewReference(DateTimeOffset issuedAt)
    {
        Span<byte> bytes = stackalloc byte[TimeBytes + RandomBytes];
        Span<byte> time = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(time, issuedAt.ToUnixTimeMilliseconds());
        time[(sizeof(long) - TimeBytes)..].CopyTo(bytes);
        SecureRandom.Fill(bytes[TimeBytes..]);
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }

    public static string Format(string reference) => Prefix + reference;

    /// <summary>The stored key of a request URI, or null when the value is not one this server issues.</summary>
    public static string? KeyOf(string requestUri)
    {
        if (!requestUri.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var reference = requestUri[Prefix.Length..];
        // Base64Url.IsValid skips whitespace, so the alphabet is checked first: only what NewReference can produce is ours.
        return reference.Length is ReferenceLength or LegacyReferenceLength && !reference.AsSpan().ContainsAnyExcept(Base64UrlChars) && Base64Url.IsValid(reference)
            ? KeyOfReference(reference)
            : null;
    }

    /// <summary>The issue time (Unix ms) a stored key starts with; null for a key of the legacy format, which has none.</summary>
    public static long? IssuedMsOfKey(string key) =>
        key.Length == KeyLength && long.TryParse(key.AsSpan(0, 2 * TimeBytes), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var ms)
            ? ms
            : null;

    /// <summary>The issue time in hex (12 characters, ordered as the time) followed by the SHA-256 of the whole reference.</summary>
    public static string KeyOfReference(string reference)
    {
        if (reference.Length == LegacyReferenceLength)
        {
            return Hashing.Sha256(reference);
        }
        Span<byte> time = stackalloc byte[TimeBytes];
        System.Buffers.Text.Base64Url.DecodeFromChars(reference.AsSpan(0, TimeChars), time);
        return Convert.ToHexStringLower(time) + Hashing.Sha256(reference);
    }
}
