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
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon <= 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
