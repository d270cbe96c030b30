using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parapet.Protocol.Clients.Certificates;

/// <summary>
/// Distinguished names compared as names, not strings (RFC 8705 §2.1.2): "CN=a, O=B" and "cn=a,o=b" are one name, and a
/// certificate whose subject is encoded as UTF8String matches a registration written as text. Each RDN is compared by its
/// attribute type and its value, case-insensitively with runs of spaces folded (RFC 4518's caseIgnoreMatch, simplified).
/// </summary>
internal static class DistinguishedNames
{
    /// <summary>An RFC 4514 string (most specific RDN first, as a certificate's subject is usually written), or null.</summary>
    public static X500DistinguishedName? TryParse(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        try
        {
            var name = new X500DistinguishedName(value);
            return name.EnumerateRelativeDistinguishedNames().Any() ? name : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static bool Equal(X500DistinguishedName a, X500DistinguishedName b)
    {
        var left = a.EnumerateRelativeDistinguishedNames().ToList();
        var right = b.EnumerateRelativeDistinguishedNames().ToList();
        return left.Count == right.Count && left.Zip(right).All(pair => RdnEqual(pair.First, pair.Second));
    }

    private static bool RdnEqual(X500RelativeDistinguishedName a, X500RelativeDistinguishedName b)
    {
        if (a.HasMultipleElements || b.HasMultipleElements)
        {
            // Multi-valued RDNs are rare in client certificates; they match only when encoded identically.
            return a.RawData.Span.SequenceEqual(b.RawData.Span);
        }
        return a.GetSingleElementType().Value == b.GetSingleElementType().Value
            && string.Equals(Fold(a.GetSingleElementValue()), Fold(b.GetSingleElementValue()), StringComparison.OrdinalIgnoreCase);
    }

    private static string? Fold(string? value) =>
        value is null ? null : string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
