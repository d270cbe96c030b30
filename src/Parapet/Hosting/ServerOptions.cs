namespace Parapet.Hosting;

/// <summary>The start-up options, the only settings that need a restart (DESIGN §6).</summary>
public sealed record ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:8080";
    public const string DefaultDataDir = "./parapet-data";

    /// <summary>Semicolon-separated listen URLs; the first is the default issuer.</summary>
    public string Urls { get; init; } = DefaultUrls;
    public string DataDir { get; init; } = DefaultDataDir;
    /// <summary>Empty: SQLite in the data directory.</summary>
    public string? Database { get; init; }

    public string FirstUrl => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0].TrimEnd('/');

    public static ServerOptions FromEnvironment() => new()
    {
        Urls = Environment.GetEnvironmentVariable("PARAPET_URLS") is { Length: > 0 } u ? u : DefaultUrls,
        DataDir = Environment.GetEnvironmentVariable("PARAPET_DATA_DIR") is { Length: > 0 } d ? d : DefaultDataDir,
        Database = Environment.GetEnvironmentVariable("PARAPET_DB"),
    };
}
