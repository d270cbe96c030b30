namespace Parapet.Cli;

/// <summary>
/// What a command touches outside itself: the console, the environment variables and the HTTP client.
/// The real console by default; tests pass writers and an HTTP client over the in-process test server.
/// </summary>
internal sealed record CliEnvironment
{
    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;
    public TextReader In { get; init; } = Console.In;

    /// <summary>Reads an environment variable (<c>PARAPET_SERVER</c>, …).</summary>
    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The client for the admin API; owned by the caller when given, else one is made per command.</summary>
    public HttpClient? Http { get; init; }

    public string? VariableOrNull(string name) => Variable(name) is { Length: > 0 } value ? value : null;
}
