using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Parapet.Protocol.Clients.Certificates;

/// <summary>
/// The subjectAltName entries RFC 8705 §2.1.2 can match (RFC 5280 §4.2.1.6): dNSName, uniformResourceIdentifier, iPAddress
/// and rfc822Name. .NET reads DNS names and IP addresses itself but not URIs or emails, so the GeneralNames are read here with
/// the framework's ASN.1 reader.
/// </summary>
internal sealed record SubjectAlternativeNames(IReadOnlyList<string> Dns, IReadOnlyList<string> Uris, IReadOnlyList<IPAddress> IpAddresses, IReadOnlyList<string> Emails)
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private static readonly SubjectAlternativeNames Empty = new([], [], [], []);

    /// <exception cref="System.Security.Cryptography.CryptographicException">The extension is not valid DER.</exception>
    public static SubjectAlternativeNames Read(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.FirstOrDefault(e => e.Oid?.Value == SubjectAltNameOid);
        if (extension is null)
        {
            return Empty;
        }
        var (dns, uris, ips, emails) = (new List<string>(), new List<string>(), new List<IPAddress>(), new List<string>());
        try
        {
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific)
                {
                    names.ReadEncodedValue();
                    continue;
                }
                switch (tag.TagValue)
                {
                    case 1: emails.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 2: dns.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 6: uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag)); break;
                    case 7: ips.Add(new IPAddress(names.ReadOctetString(tag))); break;
                    default: names.ReadEncodedValue(); break;
                }
            }
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException)
        {
            throw new System.Security.Cryptography.CryptographicException("Malformed subjectAltName extension.", e);
        }
        return new SubjectAlternativeNames(dns, uris, ips, emails);
    }
}
