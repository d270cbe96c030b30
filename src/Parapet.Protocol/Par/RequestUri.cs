namespace Parapet.Protocol.Par;

/// <summary>
/// The request URI handed out by <c>/par</c>: the RFC 9126 URN prefix and a reference of 32 random bytes
/// (256 bits, against Janssen's 122-bit UUID). Only the reference's SHA-256 is stored.
/// </summary>
public static class RequestUri
{
    public const string Prefix = "urn:ietf:params:oauth:request_uri:";
    private const int ReferenceLength = 43; // 32 bytes in base64url without padding

    public static string NewReference() => Hashing.NewHandle();

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
        return reference.Length == ReferenceLength && reference.All(IsBase64UrlChar) && Base64Url.IsValid(reference) ? Hashing.Sha256(reference) : null;
    }

    private static bool IsBase64UrlChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    public static string KeyOfReference(string reference) => Hashing.Sha256(reference);
}
