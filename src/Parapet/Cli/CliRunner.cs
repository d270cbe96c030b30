using System.Text.Json;

namespace Parapet.Cli;

/// <summary>The one place where a command's failure becomes a message on stderr and exit code 1.</summary>
internal static class CliRunner
{
    public const int Failure = 1;

    public static async Task<int> GuardAsync(CliEnvironment env, Func<Task> command)
    {
        try
        {
            await command();
            return 0;
        }
        catch (OperationCanceledException)
        {
            await env.Error.WriteLineAsync("error: cancelled.");
            return Failure;
        }
        catch (Exception e) when (e is CliError or IOException or UnauthorizedAccessException or JsonException or HttpRequestException)
        {
            await env.Error.WriteLineAsync($"error: {e.Message}");
            return Failure;
        }
        catch (Exception e)
        {
            // Never a stack trace for an operator; the type says enough to report a bug.
            await env.Error.WriteLineAsync($"error: {e.GetType().Name}: {e.Message}");
            return Failure;
        }
    }
}
