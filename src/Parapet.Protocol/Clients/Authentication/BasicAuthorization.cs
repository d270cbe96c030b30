using System.Text;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary>
/// An HTTP <c>Authorization: Basic</c> header (RFC 7617) taken apart: read by client authentication and by the PAR rate limit,
/// which must agree on what the header says.
/// </summary>
public static class BasicAuthorization
{
    public static bool IsBasic(string? header) => header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The id and secret as sent, still form-urlencoded (RFC 6749 §2.3.1); null when <paramref name="header"/> is not valid
    /// base64 or has no id before a colon. Call only for a header <see cref="IsBasic"/> accepted.
    /// </summary>
    public static (string Id, string Secret)? Split(string header)
    {
        // Decoded on the stack and split as bytes (':' never occurs inside a UTF-8 multi-byte sequence, so the halves read as
        // the whole would): every push sends this header, and the copies of the string API were ~300 of its ~700 bytes.
        var encoded = header.AsSpan(6).Trim();
        const int StackLimit = 512;
        Span<byte> bytes = encoded.Length <= StackLimit * 4 / 3 ? stackalloc byte[StackLimit] : new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var length))
        {
            return null;
        }
        var decoded = bytes[..length];
        var colon = decoded.IndexOf((byte)':');
        return colon <= 0 ? null : (Encoding.UTF8.GetString(decoded[..colon]), Encoding.UTF8.GetString(decoded[(colon + 1)..]));
    }
}
