namespace Parapet.Protocol.Dpop;

/// <summary>A verified DPoP proof (RFC 9449 §4): what matters afterwards is the key, as its RFC 7638 SHA-256 thumbprint.</summary>
/// <param name="Jkt">base64url SHA-256 JWK thumbprint of the proof's public key, as in <c>cnf.jkt</c> (RFC 9449 §6.1).</param>
public sealed record DpopProof(string Jkt);

/// <summary>The HTTP request a proof must match (RFC 9449 §4.3).</summary>
/// <param name="Method">The request method, compared with <c>htm</c>.</param>
/// <param name="Urls">The URLs this endpoint is published under (issuer-based and mTLS alias), compared with <c>htu</c>.</param>
/// <param name="AccessToken">At a protected resource: the presented access token, whose hash <c>ath</c> must carry.</param>
public sealed record DpopRequest(string Method, IReadOnlyList<string> Urls, string? AccessToken = null);
