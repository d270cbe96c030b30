namespace Parapet.Protocol.Token;

/// <summary>
/// What a client proved it holds when it asked for tokens: a DPoP key (RFC 9449 §4, its JWK SHA-256 thumbprint) and/or the
/// TLS client certificate of the connection (RFC 8705 §3, the certificate's SHA-256 thumbprint). Tokens issued for the request
/// are bound to it through the <c>cnf</c> claim, so only the holder can use them.
/// </summary>
/// <param name="DpopJkt">RFC 7638 thumbprint (base64url SHA-256) of the public key of a verified DPoP proof.</param>
/// <param name="CertificateThumbprint">base64url SHA-256 of the DER certificate presented over mutual TLS (<c>x5t#S256</c>).</param>
public sealed record SenderProof(string? DpopJkt, string? CertificateThumbprint)
{
    public static readonly SenderProof None = new(null, null);

    /// <summary>Tokens issued against this proof are sender-constrained (FAPI 2.0 Security Profile §5.3.2.1 requires one).</summary>
    public bool IsConstrained => DpopJkt is not null || CertificateThumbprint is not null;
}
