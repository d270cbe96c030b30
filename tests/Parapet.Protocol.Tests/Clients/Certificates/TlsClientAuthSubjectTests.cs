using Microsoft.Extensions.Time.Testing;
using Parapet.Protocol.Clients.Certificates;

namespace Parapet.Protocol.Tests.Clients.Certificates;

/// <summary>RFC 8705 §2.1: the registered subject against a presented certificate, and the chain to the operator's CAs.</summary>
public sealed class TlsClientAuthSubjectTests
{
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Ca = TestPki.Ca();
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Client = TestPki.AllSans(Ca);

    public static TheoryData<string, string, bool> Subjects() => new()
    {
        // RFC 8705 §2.1.2: a DN is compared as a name — case, spacing and the string's encoding do not matter, order and values do.
        { TlsClientAuthSubject.SubjectDn, "CN=app, O=Example Corp, C=SE", true },
        { TlsClientAuthSubject.SubjectDn, "cn=APP,o=example  corp,c=se", true },
        { TlsClientAuthSubject.SubjectDn, "CN=app,O=Example Corp", false },
        { TlsClientAuthSubject.SubjectDn, "C=SE, O=Example Corp, CN=app", false },
        { TlsClientAuthSubject.SubjectDn, "CN=other, O=Example Corp, C=SE", false },
        { TlsClientAuthSubject.SanDns, "APP.example", true },
        { TlsClientAuthSubject.SanDns, "other.example", false },
        { TlsClientAuthSubject.SanUri, "spiffe://example/app", true },
        { TlsClientAuthSubject.SanUri, "spiffe://example/App", false },
        { TlsClientAuthSubject.SanIp, "10.1.2.3", true },
        { TlsClientAuthSubject.SanIp, "10.1.2.4", false },
        { TlsClientAuthSubject.SanEmail, "Ops@example.COM", true },
        { TlsClientAuthSubject.SanEmail, "ops@example.com", false },
    };

    [Theory]
    [MemberData(nameof(Subjects))]
    public void A_registered_subject_matches_the_certificate_only_when_it_names_it(string field, string value, bool matches)
    {
        Assert.Equal(matches, new TlsClientAuthSubject(field, value).Matches(Client));
    }

    [Fact]
    public void A_san_subject_does_not_match_a_certificate_without_sans()
    {
        using var bare = TestPki.Leaf(Ca, "CN=app.example");

        Assert.False(new TlsClientAuthSubject(TlsClientAuthSubject.SanDns, "app.example").Matches(bare));
    }

    [Fact]
    public void A_certificate_signed_by_a_configured_ca_chains()
    {
        var trust = new ClientCertificateTrust([Ca], new FakeTimeProvider(DateTimeOffset.UtcNow));

        Assert.Null(trust.Problem(Client));
    }

    [Fact]
    public void A_certificate_of_another_ca_does_not_chain()
    {
        using var stranger = TestPki.Leaf(TestPki.Ca("CN=Other CA"), "CN=app, O=Example Corp, C=SE");
        var trust = new ClientCertificateTrust([Ca], new FakeTimeProvider(DateTimeOffset.UtcNow));

        Assert.StartsWith("certificate does not chain to a configured trust anchor", trust.Problem(stranger));
    }

    [Fact]
    public void A_server_only_certificate_is_not_a_client_certificate()
    {
        using var server = TestPki.Leaf(Ca, "CN=app", eku: "1.3.6.1.5.5.7.3.1");
        var trust = new ClientCertificateTrust([Ca], new FakeTimeProvider(DateTimeOffset.UtcNow));

        Assert.NotNull(trust.Problem(server));
    }

    [Fact]
    public void An_expired_certificate_does_not_chain()
    {
        var trust = new ClientCertificateTrust([Ca], new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(60)));

        Assert.NotNull(trust.Problem(Client));
    }

    [Fact]
    public void A_certificate_that_chained_is_refused_once_it_expires_though_its_chain_was_remembered()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var trust = new ClientCertificateTrust([Ca], time);
        Assert.Null(trust.Problem(Client));
        Assert.Null(trust.Problem(Client));

        time.SetUtcNow(new DateTimeOffset(Client.NotAfter.ToUniversalTime(), TimeSpan.Zero).AddMinutes(1));

        Assert.NotNull(trust.Problem(Client));
    }

    [Fact]
    public void Without_trust_anchors_nothing_chains_and_the_log_says_how_to_configure_them()
    {
        var trust = ClientCertificateTrust.None(new FakeTimeProvider());

        Assert.Equal("no trust anchors are configured for tls_client_auth (start the server with --mtls-trust-ca FILE)", trust.Problem(Client));
    }

    [Fact]
    public void The_thumbprint_is_the_base64url_sha256_of_the_der_certificate()
    {
        var expected = Base64Url.Encode(System.Security.Cryptography.SHA256.HashData(Client.RawData));

        Assert.Equal(expected, CertificateThumbprint.Of(Client));
        Assert.Equal(43, expected.Length);
    }
}
