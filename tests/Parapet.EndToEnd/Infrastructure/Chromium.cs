using Microsoft.Playwright;

namespace Parapet.EndToEnd.Infrastructure;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>) driven by Playwright; Playwright never downloads a browser of its own.
/// One browser for the whole run (<see cref="BrowserCollection"/>); each test opens its own contexts (separate cookie jars =
/// separate "browsers" for the server).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why browser tests cannot run here, or null when they can.</summary>
    public static string? MissingReason => File.Exists(ExecutablePath)
        ? null
        : $"{ExecutablePath} is missing: install Debian's chromium (apt-get install chromium; bash test.sh does it).";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(MissingReason ?? "The browser did not start.");

    public async Task InitializeAsync()
    {
        if (MissingReason is not null)
        {
            // [BrowserFact] skips the tests outside CI; in CI they run and fail through Browser with this reason.
            return;
        }
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser profile: its own cookies, so the server sees a different browser.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}

/// <summary>
/// The browser tests share one Chromium and run one class at a time: each class has its own server, and on a small shared
/// machine parallel browsers would only add time-outs.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "browser";
}

/// <summary>
/// A fact that needs <see cref="Chromium"/>. Without /usr/bin/chromium it is skipped with the reason on a developer machine;
/// with <c>CI=true</c> it runs and fails with that reason (DESIGN §9: in CI a missing component is a failure, not a skip).
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.MissingReason is { } reason && !Chromium.InCi)
        {
            Skip = reason;
        }
    }
}
