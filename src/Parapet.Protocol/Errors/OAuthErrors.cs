namespace Parapet.Protocol.Errors;

/// <summary>
/// The catalogue: every message the server sends exists once, here, so tests assert it exactly.
/// </summary>
public static partial class OAuthErrors
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string UnsupportedResponseType = "unsupported_response_type";
    public const string InvalidScope = "invalid_scope";
    public const string AccessDenied = "access_denied";
    public const string InvalidRequestUri = "invalid_request_uri";
    public const string InvalidRequestObject = "invalid_request_object";
    public const string LoginRequired = "login_required";
    public const string ConsentRequired = "consent_required";
    public const string InvalidToken = "invalid_token";
    public const string InvalidClientMetadata = "invalid_client_metadata";
    public const string InvalidRedirectUri = "invalid_redirect_uri";
    public const string InvalidSoftwareStatement = "invalid_software_statement";
    public const string ServerError = "server_error";
    public const string TemporarilyUnavailable = "temporarily_unavailable";
    public const string RequestNotSupported = "request_not_supported";

    public static OAuthError Request(string description) => new(InvalidRequest, description);

    public static OAuthError DuplicateParameter(string name) => Request($"The parameter '{name}' was sent more than once.");
    public static OAuthError MissingParameter(string name) => Request($"The parameter '{name}' is required.");
    public static OAuthError ParameterTooLong(string name, int max) => Request($"The parameter '{name}' is longer than {max} characters.");
    public static OAuthError TooManyParameters(int max) => Request($"The request has more than {max} parameters.");
    public static OAuthError FormContentTypeRequired() => Request("The request body must be application/x-www-form-urlencoded.");
    public static OAuthError RequestUriNotAllowedAtPar() => Request("The 'request_uri' parameter must not be sent to the pushed authorization request endpoint (RFC 9126 §2.1).");
    public static OAuthError ParDisabled() => new(AccessDenied, "PAR is disabled on this server (feature flag 'par').", 403);
    public static OAuthError FeatureDisabled(string flag) => new(AccessDenied, $"This endpoint is disabled on this server (feature flag '{flag}').", 403);

    public static OAuthError ClientAuthenticationFailed(bool basicTried) => new(InvalidClient, "Client authentication failed.", 401)
    {
        Headers = basicTried ? new Dictionary<string, string> { ["WWW-Authenticate"] = "Basic realm=\"parapet\"" } : null,
    };
    public static OAuthError ClientIdMismatch() => new(InvalidClient, "The 'client_id' parameter does not match the authenticated client.", 401);
    public static OAuthError MultipleClientAuthMethods() => Request("The client used more than one authentication method.");
    public static OAuthError PublicClientForbiddenAtPar() => new(InvalidClient, "Public clients may not use the pushed authorization request endpoint on this server (parForbidPublicClient).", 401);
    public static OAuthError ClientDisabled() => new(InvalidClient, "The client is disabled.", 401);
    public static OAuthError UnknownClient() => Request("The 'client_id' is not a registered client.");
    public static OAuthError FapiClientAuthMethod(string method) => new(InvalidClient,
        $"FAPI 2.0 requires client authentication with private_key_jwt, tls_client_auth or self_signed_tls_client_auth; this client uses '{method}'.", 401);

    public static OAuthError UnsupportedResponseTypeValue(string value) => new(UnsupportedResponseType, $"The response_type '{value}' is not supported; use 'code'.");
    public static OAuthError ResponseTypeNotAllowed(string value) => new(UnauthorizedClient, $"The client is not allowed to use response_type '{value}'.");
    public static OAuthError RedirectUriNotRegistered() => Request("The 'redirect_uri' is not registered for this client.");
    public static OAuthError RedirectUriRequired() => Request("The 'redirect_uri' parameter is required because the client registered more than one.");
    public static OAuthError RedirectUriInvalid() => Request("The 'redirect_uri' must be an absolute https URI (http only on loopback) without a fragment.");
    public static OAuthError ScopeNotAllowed(string scope) => new(InvalidScope, $"The scope '{scope}' is unknown or not allowed for this client.");
    public static OAuthError PkceRequired() => Request("PKCE is required: send 'code_challenge' with code_challenge_method 'S256'.");
    public static OAuthError PkceMethodNotSupported(string method) => Request($"The code_challenge_method '{method}' is not allowed; use 'S256'.");
    public static OAuthError PkceChallengeMalformed() => Request("The 'code_challenge' must be 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].");
    public static OAuthError ResponseModeNotSupported(string mode) => Request($"The response_mode '{mode}' is not supported; use 'query' or 'form_post'.");
    public static OAuthError PromptInvalid(string prompt) => Request($"The prompt value '{prompt}' is not valid.");
    public static OAuthError MaxAgeInvalid() => Request("The 'max_age' parameter must be a non-negative integer.");
    public static OAuthError ClaimsMalformed() => Request("The 'claims' parameter must be a JSON object.");
    public static OAuthError ParRequired() => Request("This client must use pushed authorization requests (PAR).");
    public static OAuthError ServerRequiresPar() => Request("This server requires pushed authorization requests (PAR).");
    public static OAuthError RequestObjectNotSupported() => new(RequestNotSupported, "Request objects (the 'request' parameter) are disabled on this server (requestParameterSupported).");
    public static OAuthError RequestObject(string description) => new(InvalidRequestObject, description);
    public static OAuthError RequestObjectMalformed() => RequestObject("The 'request' parameter must be a JWT in compact serialization (RFC 9101 §4).");
    public static OAuthError RequestObjectUnsigned() => RequestObject("The request object must be signed: alg 'none' is not accepted on this server.");
    public static OAuthError RequestObjectEncryptionAlgorithm(string alg, IEnumerable<string> supported) => RequestObject($"The request object's JWE alg '{alg}' is not supported; encrypt with one of: {string.Join(", ", supported)}.");
    public static OAuthError RequestObjectEncryptionEnc(string enc, IEnumerable<string> supported) => RequestObject($"The request object's JWE enc '{enc}' is not supported; use one of: {string.Join(", ", supported)}.");
    public static OAuthError RequestObjectEncryptionKeyUnknown(string? kid) => RequestObject(string.IsNullOrEmpty(kid)
        ? "The request object is not encrypted to one of this server's encryption keys (jwks_uri, keys with use 'enc')."
        : $"The request object is encrypted to kid '{kid}', which is not one of this server's encryption keys (jwks_uri, keys with use 'enc').");
    public static OAuthError RequestObjectDecryptionFailed() => RequestObject("The request object could not be decrypted with this server's encryption key.");
    public static OAuthError RequestObjectEncryptedPayloadInvalid() => RequestObject("The encrypted request object must contain a JWT: sign the request object, then encrypt it (RFC 9101 §4).");
    public static OAuthError RequestObjectEncryptedUnsigned() => RequestObject("The encrypted request object must contain a signed JWT: alg 'none' is not accepted on this server.");
    public static OAuthError RequestObjectAlgorithm(string alg, IEnumerable<string> allowed) => RequestObject($"The request object's alg '{alg}' is not accepted; use one of: {string.Join(", ", allowed)}.");
    public static OAuthError RequestObjectSignatureInvalid() => RequestObject("The request object's signature does not verify with the client's registered keys (jwks or jwks_uri).");
    public static OAuthError RequestObjectIssuerMismatch() => RequestObject("The request object's 'iss' must be the client's client_id.");
    public static OAuthError RequestObjectClientIdMismatch() => RequestObject("The request object's 'client_id' must be present and equal the authenticated client's client_id.");
    public static OAuthError RequestObjectAudienceInvalid(string issuer) => RequestObject($"The request object's 'aud' must be or contain the issuer '{issuer}'.");
    public static OAuthError RequestObjectExpMissing() => RequestObject("The request object must contain 'exp'.");
    public static OAuthError RequestObjectExpired() => RequestObject("The request object has expired ('exp').");
    public static OAuthError RequestObjectNotYetValid() => RequestObject("The request object is not valid yet ('nbf' is in the future).");
    public static OAuthError RequestObjectContainsRequestUri() => RequestObject("The request object must not contain 'request_uri' (RFC 9101 §4).");
    public static OAuthError RequestObjectContainsRequest() => RequestObject("The request object must not contain a nested 'request'.");
    public static OAuthError RequestObjectClaimsInvalid() => RequestObject("The request object's payload must be a JSON object whose authorization parameters are strings, numbers or, for 'claims', an object.");

    public static OAuthError RequestUriUnknown() => new(InvalidRequestUri, "The request_uri is unknown, expired or already used.");
    public static OAuthError RequestUriMalformed() => new(InvalidRequestUri, "The request_uri is not one this server issued.");
    public static OAuthError RequestUriClaimedElsewhere() => new(InvalidRequestUri, "The request_uri is already in use by another browser.");
    public static OAuthError RequestUriClientMismatch() => Request("The 'client_id' does not match the client that pushed the request.");
    public static OAuthError RequestUriNotSupported() => new(InvalidRequestUri, "Only request URIs issued by this server's PAR endpoint are accepted.");

    public static OAuthError LoginRequiredForPromptNone() => new(LoginRequired, "The user is not signed in and prompt=none was requested.", Redirectable: true);
    public static OAuthError ConsentRequiredForPromptNone() => new(ConsentRequired, "Consent is required and prompt=none was requested.", Redirectable: true);
    public static OAuthError UserDeniedConsent() => new(AccessDenied, "The user denied the request.", Redirectable: true);

    public static OAuthError GrantTypeUnsupported(string grantType) => new(UnsupportedGrantType, $"The grant_type '{grantType}' is not supported.");
    public static OAuthError GrantTypeNotAllowed(string grantType) => new(UnauthorizedClient, $"The client is not allowed to use grant_type '{grantType}'.");
    public static OAuthError FapiSenderConstraintRequired() =>
        Request("FAPI 2.0 requires sender-constrained access tokens: send a DPoP proof (RFC 9449) or use mutual TLS (RFC 8705).");
    public static OAuthError CodeInvalid() => new(InvalidGrant, "The authorization code is invalid, expired or already used.");
    public static OAuthError CodeRedirectUriMismatch() => new(InvalidGrant, "The 'redirect_uri' does not match the one in the authorization request.");
    public static OAuthError CodeClientMismatch() => new(InvalidGrant, "The authorization code was issued to another client.");
    public static OAuthError PkceVerifierMissing() => new(InvalidGrant, "The 'code_verifier' is required for this code.");
    public static OAuthError PkceVerifierMismatch() => new(InvalidGrant, "The 'code_verifier' does not match the code_challenge.");
    public static OAuthError RefreshTokenInvalid() => new(InvalidGrant, "The refresh token is invalid, expired or revoked.");
    public static OAuthError ScopeExceedsGrant(string scope) => new(InvalidScope, $"The scope '{scope}' was not part of the original grant.");

    public static OAuthError TokenInvalid() => new(InvalidToken, "The access token is invalid or expired.", 401)
    {
        Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer error=\"invalid_token\"" },
    };
    public static OAuthError TokenMissing() => new(InvalidToken, "An access token is required.", 401)
    {
        Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer" },
    };
    /// <summary>RFC 7662 §2.1: introspection needs an authenticated caller, so a public client cannot scan for tokens.</summary>
    public static OAuthError PublicClientCannotIntrospect() => new(InvalidClient, "Public clients may not use the introspection endpoint.", 401);

    /// <summary>
    /// RFC 8705 §3: the client asked for certificate-bound tokens (tls_client_certificate_bound_access_tokens) but presented no
    /// certificate. It did authenticate, so this is a malformed request (RFC 6749 §5.2 invalid_request), not invalid_client.
    /// </summary>
    public static OAuthError ClientCertificateRequired() => Request("This client's access tokens are bound to its TLS client certificate (tls_client_certificate_bound_access_tokens): send the request to the mTLS endpoint alias with the certificate.");
    /// <summary>RFC 8705 §3: a certificate-bound token is good only over a connection presenting that certificate.</summary>
    public static OAuthError TokenCertificateMismatch() => BearerError("The access token is bound to a TLS client certificate (cnf x5t#S256) that this request did not present; use the mTLS endpoint alias with that certificate.");

    public static OAuthError IdTokenHintInvalid() => Request("The id_token_hint is not an ID token this server issued.");
    public static OAuthError IdTokenHintClientMismatch() => Request("The 'client_id' does not match the audience of the id_token_hint.");
    public static OAuthError PostLogoutRedirectUriWithoutClient() => Request("A 'post_logout_redirect_uri' needs an 'id_token_hint' or a 'client_id' that names the client.");
    public static OAuthError PostLogoutRedirectUriNotRegistered() => Request("The 'post_logout_redirect_uri' is not registered for this client.");
    public static OAuthError LogoutFormInvalid() => Request("The sign-out form expired or was not sent by this site; start again.");

    public static OAuthError InsufficientScope(string scope) => new("insufficient_scope", $"The access token lacks the scope '{scope}'.", 403);

    public static OAuthError ClientMetadata(string description) => new(InvalidClientMetadata, description);
    public static OAuthError ClientRedirectUri(string description) => new(InvalidRedirectUri, description);
    public static OAuthError RegistrationDisabled() => new(AccessDenied, "Dynamic client registration is disabled on this server.", 403);
    public static OAuthError RegistrationBodyInvalid() => ClientMetadata("The body must be a JSON object of client metadata (RFC 7591 §2).");
    public static OAuthError RegistrationClientIdMismatch() => ClientMetadata("client_id must be sent and equal the client being updated (RFC 7592 §2.2).");
    public static OAuthError RegistrationSecretMismatch() => ClientMetadata("client_secret, when sent, must equal the client's current secret (RFC 7592 §2.2).");
    public static OAuthError RegistrationFailed() => ClientMetadata("The client could not be registered; try again.");
    public static OAuthError RegistrationChangedConcurrently() => ClientMetadata("The client was changed at the same time; read it again and retry.");
    public static OAuthError InitialAccessTokenRequired() => BearerError("This server requires an initial access token to register clients (Authorization: Bearer).", withErrorCode: false);
    public static OAuthError InitialAccessTokenInvalid() => BearerError("The initial access token is invalid, expired or used up.");
    /// <summary>RFC 7592 §2: also for a client that does not exist or cannot be managed, so the answer reveals nothing.</summary>
    public static OAuthError RegistrationAccessTokenInvalid() => BearerError("The registration access token is missing or not valid for this client.");
    public static OAuthError SoftwareStatementNotAccepted() => new(InvalidSoftwareStatement, "Software statements are not accepted by this server.");
    public static OAuthError SoftwareStatementMalformed() => new(InvalidSoftwareStatement, "The software_statement must be a signed JWT (RFC 7591 §2.3).");
    public static OAuthError SoftwareStatementUntrusted() => new(InvalidSoftwareStatement, "The software_statement is not signed by a trusted issuer, lacks 'iss', or is expired.");

    /// <summary>RFC 6750 §3: a 401 with a Bearer challenge; the error code is named only when a token was presented.</summary>
    private static OAuthError BearerError(string description, bool withErrorCode = true) => new(InvalidToken, description, 401)
    {
        Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = withErrorCode ? "Bearer error=\"invalid_token\"" : "Bearer" },
    };

    public static OAuthError RateLimited(int retryAfterSeconds) => new("too_many_requests", "Too many requests; retry later.", 429)
    {
        Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };
    public static OAuthError BodyTooLarge(long max) => Request($"The request body is larger than {max} bytes.") with { Status = 413 };
    public static OAuthError BodyIncomplete() => Request("The request body could not be read in full (shorter than its Content-Length, or sent too slowly).");
    /// <summary>A body the web server refused to read, with its status (413 too large, 408 too slow, 400 cut short).</summary>
    public static OAuthError BodyUnreadable(int status) =>
        (status == 413 ? Request("The request body is larger than this endpoint accepts.") : BodyIncomplete()) with { Status = status };
    public static OAuthError MethodNotAllowed(string allow) => Request($"Only {allow} is allowed here.") with { Status = 405, Headers = new Dictionary<string, string> { ["Allow"] = allow } };
}
