using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Parapet.Http;
using Parapet.Http.Registration;
using Parapet.Http.Admin;
using Parapet.Protocol;
using Parapet.Protocol.Authorization;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Dpop;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Clients.Certificates;
using Parapet.Protocol.Jose;
using Parapet.Protocol.Par;
using Parapet.Protocol.Token;
using Parapet.Protocol.Users;
using Parapet.Storage;

namespace Parapet.Hosting;

/// <summary>Builds the server: services, then the endpoints, in the order a request meets them.</summary>
public static class ParapetApp
{
    /// <param name="configure">A hook for tests (test server, fake clock) applied before the app is built.</param>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        Directory.CreateDirectory(options.DataDir);
        // SQLite's provider blocks the calling thread on I/O even behind async calls: start a few workers at once rather
        // than one (on one pinned core the pool starts with a single worker). Few: 16 cost the full flow ~20 % of its
        // throughput and ~9 MB of peak RSS on one core (idle workers spin and yield to each other; bench/README.md).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 4), io);
        // Start-up options are checked before anything else, so a bad one stops the server with a message (StartupError).
        var listeners = new Listeners(options);
        var proxies = TrustedProxies.Parse(options.TrustedProxies);
        if (options.ClientCertHeader is not null && proxies.IsEmpty)
        {
            throw new StartupError("--client-cert-header needs --trusted-proxies: the header is believed only from the proxies named there.");
        }
        var trustAnchors = MtlsTrustAnchors(options);
        var keyEncryptionKey = KeyEncryptionKey.LoadOrCreate(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = FormReader.MaxBodyBytes;
            listeners.Configure(k);
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(proxies);
        services.AddSingleton<ClientCertificates>();
        services.AddSingleton(sp => new ClientCertificateTrust(trustAnchors, sp.GetRequiredService<TimeProvider>()));
        services.AddParapetStorage(options.Database, options.DataDir);
        services.AddSingleton(keyEncryptionKey);
        // Data Protection itself is registered with the storage (its keys live there); here its keys get encrypted.
        services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new KeyRingEncryptor(keyEncryptionKey));
        services.AddSingleton<SigningKeys>();
        services.AddSingleton<ISigningKeys>(sp => sp.GetRequiredService<SigningKeys>());
        services.AddSingleton<EncryptionKeys>();
        services.AddSingleton<IEncryptionKeys>(sp => sp.GetRequiredService<EncryptionKeys>());
        services.AddSingleton<ISecretVault, DataProtectionSecretVault>();
        HttpJwksFetcher.Register(services);
        services.AddSingleton<ClientKeyResolver>();
        services.AddSingleton<ClientAssertion>();
        services.AddHostedService<SigningKeyRotation>();
        services.AddSingleton<ClientAuthentication>();
        services.AddSingleton<RequestObjectDecryptor>();
        services.AddSingleton<RequestObjectReader>();
        services.AddSingleton<PushService>();
        services.AddSingleton<AuthorizeService>();
        services.AddSingleton<CodeIssuer>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<IDpopNonces, DpopNonces>();
        services.AddSingleton<DpopProofValidator>();
        services.AddSingleton<DpopProofs>();
        services.AddSingleton<ResourceAccess>();
        services.AddSingleton<PresentedTokens>();
        services.AddSingleton<AuthorizationFlow>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<PropertyService>();
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "parapet.antiforgery";
            o.FormFieldName = "__antiforgery";
            o.SuppressXFrameOptionsHeader = true; // SecurityHeaders sets it on every page
        });
        services.AddAuthentication(BrowserSession.Scheme).AddCookie(BrowserSession.Scheme, o =>
        {
            o.Cookie.Name = BrowserCookies.SessionCookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Events.OnRedirectToLogin = c =>
            {
                c.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        services.AddSingleton<ParRateLimiting>();
        services.AddParapetOpenApi();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            // "par_lifetime":"60" is a client developer's mistake to report, not to guess at.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteServerErrorAsync,
            // A request Kestrel could not read is the client's error (WriteServerErrorAsync): no "unhandled exception" log for it.
            SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException,
        });
        // Cookie authentication (the browser session) serves the pages. Left to WebApplication it would run first on every
        // request, the back-channel hot path included, where no cookie ever authenticates anything: ~1-2 µs and an async
        // layer per push (bench/README.md). The marker is the key UseAuthentication() sets so that WebApplication does not add
        // it again; should that key ever change, the middleware would run twice, harmlessly, and a test would say so.
        ((IApplicationBuilder)app).Properties["__AuthenticationMiddlewareSet"] = true;
        app.UseWhen(http => !IsBackChannel(http.Request.Path), browser => browser.UseAuthentication());
        app.MapPar();
        app.MapAuthorize();
        app.MapLogin();
        app.MapToken();
        app.MapUserInfo();
        app.MapIntrospection();
        app.MapRevocation();
        app.MapEndSession();
        app.MapDiscovery();
        app.MapRegistration();
        app.MapAdminApi();
        app.MapGet("/health", () => Results.Json(new { status = "ok" }));
        app.MapOpenApi(OpenApiDocument.Route);
        return app;
    }

    /// <summary>The client-authenticated endpoints of the hot path, which no browser session reaches.</summary>
    private static bool IsBackChannel(PathString path) => path == "/par" || path == "/token";

    /// <summary>RFC 8705 §2.1: the CAs of <c>--mtls-trust-ca</c>; empty when none is given (tls_client_auth then fails).</summary>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2Collection MtlsTrustAnchors(ServerOptions options)
    {
        if (options.MtlsTrustCa is not { } path)
        {
            return [];
        }
        try
        {
            return ClientCertificateTrust.ReadBundle(path);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new StartupError($"--mtls-trust-ca: cannot read CA certificates from {path}: {e.Message}", e);
        }
    }

    /// <summary>Builds, prepares the store and keys, and runs until stopped.</summary>
    public static async Task<int> ServeAsync(ServerOptions options, CancellationToken ct)
    {
        var app = Build(options);
        await Bootstrap.RunAsync(app, options, ct);
        // Start-up (migrations, model building, key generation) leaves garbage the steady state never needs: give the
        // memory back once before serving, so the resident size reflects the server, not its boot.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Parapet");
        logger.LogInformation("Parapet listening on {Urls}; data in {DataDir}", options.Urls, Path.GetFullPath(options.DataDir));
        if (options.MtlsUrls is { } mtls)
        {
            logger.LogInformation("Mutual TLS on {MtlsUrls}; tls_client_auth trust anchors: {Anchors}", mtls, options.MtlsTrustCa ?? "none (tls_client_auth fails)");
        }
        await app.RunAsync(ct);
        return 0;
    }

    /// <summary>
    /// DESIGN §2.8: an unexpected exception is logged with a correlation id and answered 500 server_error with that id.
    /// A database outage is not a bug: 503 temporarily_unavailable with Retry-After.
    /// </summary>
    private static async Task WriteServerErrorAsync(HttpContext http)
    {
        var correlationId = Guid.NewGuid().ToString("N")[..12];
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Parapet.Errors");
        http.Response.Headers.CacheControl = "no-store";
        if (StoreOutage.Is(error))
        {
            logger.LogWarning("Database unavailable ({Correlation}) on {Path}: {Reason}", correlationId, http.Request.Path.Value, error!.GetBaseException().Message);
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "1";
            await http.Response.WriteAsJsonAsync(new Dictionary<string, string>
            {
                ["error"] = "temporarily_unavailable",
                ["error_description"] = "The server's database is unavailable; retry shortly.",
            });
            return;
        }
        if (error is BadHttpRequestException bad)
        {
            // A request Kestrel could not read (FormReader answers its own; this covers any other body read): the client's fault.
            logger.LogDebug("Unreadable request on {Path}: {Reason}", http.Request.Path.Value, bad.Message);
            await OAuthResults.Error(http, OAuthErrors.BodyUnreadable(bad.StatusCode)).ExecuteAsync(http);
            return;
        }
        logger.LogError(error, "Unhandled exception {CorrelationId} on {Path}", correlationId, http.Request.Path.Value);
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        await http.Response.WriteAsJsonAsync(new Dictionary<string, string>
        {
            ["error"] = "server_error",
            ["error_description"] = $"An unexpected error occurred; quote correlation id {correlationId} to the operator.",
        });
    }
}
