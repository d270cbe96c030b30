using System.Diagnostics;

namespace Parapet.EndToEnd.Infrastructure;

/// <summary>
/// A browser fact that also runs a <c>parapet</c> CLI command. When the built binary has no such command (the CLI is built
/// in a parallel branch), the test is skipped with that reason on a developer machine and, with <c>CI=true</c>, runs and
/// fails — a missing component is a failure in CI (DESIGN §9).
/// </summary>
public sealed class CliFactAttribute : FactAttribute
{
    private static readonly Lazy<string> RootHelp = new(ReadRootHelp);

    public CliFactAttribute(string command)
    {
        if (Chromium.InCi)
        {
            return;
        }
        if (Chromium.MissingReason is { } browserMissing)
        {
            Skip = browserMissing;
        }
        else if (!RootHelp.Value.Split('\n').Any(line => line.TrimStart().StartsWith(command + " ", StringComparison.Ordinal)))
        {
            Skip = $"The built parapet has no '{command}' command yet (it arrives with the CLI branch).";
        }
    }

    /// <summary><c>parapet --help</c>: its command list says which commands this build has.</summary>
    private static string ReadRootHelp()
    {
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(ParapetProcess.ParapetDll);
            start.ArgumentList.Add("--help");
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var help = process.StandardOutput.ReadToEnd();
            process.WaitForExit(30_000);
            _ = stderr.Result;
            return help;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
