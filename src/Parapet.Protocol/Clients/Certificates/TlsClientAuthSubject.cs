using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parapet.Protocol.Clients.Certificates;

/// <summary>
/// The certificate subject a <c>tls_client_auth</c> client registered: exactly one of the five metadata fields of RFC 8705
/// §2.1.2, by its wire name, and its value.
/// </summary>
public sealed record TlsClientAuthSubject(string Field, string Value)
{
    public const string SubjectDn = "tls_client_auth_subject_dn";
    public const string SanDns = "tls_client_auth_san_dns";
    public const string SanUri = "tls_client_auth_san_uri";
    public const string SanIp = "tls_client_auth_san_ip";
    public const string SanEmail = "tls_client_auth_san_email";

    public static readonly IReadOnlyList<string> Fields = [SubjectDn, SanDns, SanUri, SanIp, SanEmail];

    /// <summary>Null when the value is well-formed for its field; otherwise what is wrong, for the registrant.</summary>
    public string? Problem() => Field switch
    {
        SubjectDn => DistinguishedNames.TryParse(Value) is null ? $"{SubjectDn} must be a distinguished name in RFC 4514 form, e.g. 'CN=client,O=Example,C=SE'." : null,
        SanDns => Value.Length == 0 || Value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? $"{SanDns} must be a DNS name." : null,
        SanUri => Uri.TryCreate(Value, UriKind.Absolute, out _) ? null : $"{SanUri} must be an absolute URI.",
        SanIp => IPAddress.TryParse(Value, out _) ? null : $"{SanIp} must be an IPv4 or IPv6 address.",
        SanEmail => Value.Count(c => c == '@') == 1 && !Value.StartsWith('@') && !Value.EndsWith('@') ? null : $"{SanEmail} must be an email address.",
        _ => $"Unknown certificate subject field '{Field}'.",
    };

    /// <summary>
    /// RFC 8705 §2.1.2: the DN is compared as a distinguished name (RFC 4517 distinguishedNameMatch, in the simplified form of
    /// <see cref="DistinguishedNames"/>); a SAN matches when the certificate has one entry of that type equal to the value.
    /// </summary>
    public bool Matches(X509Certificate2 certificate)
    {
        try
        {
            return Field switch
            {
                SubjectDn => DistinguishedNames.TryParse(Value) is { } dn && DistinguishedNames.Equal(dn, certificate.SubjectName),
                SanDns => SubjectAlternativeNames.Read(certificate).Dns.Any(d => string.Equals(d, Value, StringComparison.OrdinalIgnoreCase)),
                // RFC 3986 §6.2.1: URIs are compared as strings; the client registered the exact one its certificate carries.
                SanUri => SubjectAlternativeNames.Read(certificate).Uris.Any(u => string.Equals(u, Value, StringComparison.Ordinal)),
                SanIp => IPAddress.TryParse(Value, out var ip) && SubjectAlternativeNames.Read(certificate).IpAddresses.Any(ip.Equals),
                SanEmail => SubjectAlternativeNames.Read(certificate).Emails.Any(e => EmailEquals(e, Value)),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false; // a malformed extension matches nothing
        }
    }

    /// <summary>RFC 5280 §4.2.1.6 / §7.5: the local part is compared exactly, the domain without regard to case.</summary>
    private static bool EmailEquals(string a, string b)
    {
        var (at1, at2) = (a.LastIndexOf('@'), b.LastIndexOf('@'));
        return at1 > 0 && at2 > 0 && a[..at1] == b[..at2] && string.Equals(a[at1..], b[at2..], StringComparison.OrdinalIgnoreCase);
    }
}
