using System.Collections;
using System.Runtime.InteropServices;
using System.Text;

namespace Parapet.Hosting;

/// <summary>
/// Runtime settings that exist only as environment variables. <c>parapet serve</c> on Linux starts itself over once, in the
/// same process (<c>execve</c>: same PID, same arguments, same file descriptors), with those the operator has not set; so the
/// defaults hold whether the server runs from a shell, systemd or a container, and an operator's own value always wins.
/// <c>PARAPET_RUNTIME_TUNING=off</c> skips it. Measured with <c>bench/</c> (bench/README.md): peak RSS under POST /par load
/// ~158 → ~144 MB, and the tiered JIT reaches full speed in ~10 s of load instead of ~30 s on one core.
/// </summary>
internal static class RuntimeTuning
{
    internal const string OptOut = "PARAPET_RUNTIME_TUNING";
    internal const string Marker = "PARAPET_RUNTIME_TUNED";

    internal static readonly IReadOnlyList<KeyValuePair<string, string>> Settings =
    [
        // The GC sizes its youngest generation from the CPU's last-level cache, and virtual machines may report one of
        // hundreds of megabytes (320 MB on the benchmark VM): ~30 MB of request garbage before the first collection. 4 MB
        // (the value is hexadecimal) keeps the heap small: at 2 MB, POST /par (~10 KB of garbage each) spent 6.5 % of its
        // time in collections, and 4 MB saved ~2-4 µs per push at the same peak RSS, where 8 MB went over 150 MB
        // (bench/README.md). No runtimeconfig.json name exists for it.
        new("DOTNET_GCgen0size", "0x400000"),
        // The heap commits memory a region at a time, per generation, and regions are 4 MB by default: with ~7 MB of live
        // objects and the 4 MB young generation above the server committed 16-19 MB. 1 MB regions: the full flow's peak RSS
        // 145.8-147.5 MB against 149.5-156.6 (six runs each), POST /par the same (bench/README.md, session 9). Also no
        // runtimeconfig.json name.
        new("DOTNET_GCRegionSize", "0x100000"),
        // The tiered JIT waits for a quiet spell before it optimises hot methods, ten times longer on a single core, and each
        // newly compiled method restarts the wait: under load the server ran at tier-0 speed for ~30 s. 16 ms (hex 10).
        new("DOTNET_TC_CallCountingDelayMs", "0x10"),
        // Methods without precompiled code (ours, EF Core's, IdentityModel's) are compiled once, optimised, instead of first
        // quickly and then again when hot, both copies kept: under the full flow the JIT's memory grew by ~12 MB and the server
        // peaked at 150-162 MB, and at 146-148 MB with this (three runs each; throughput unchanged). Start-up pays: ~3 s more
        // on one core, and ~10 MB more at rest (start-up code compiled optimised).
        // Set here rather than in runtimeconfig.json so that the short-lived CLI commands keep starting quickly.
        new("DOTNET_TC_QuickJit", "0"),
        // glibc gives each thread that allocates its own arena (up to 8 per core) and keeps freed memory in it; the JIT's
        // and SQLite's transient allocations then stay resident. Two arenas, prompt trimming, and large blocks mapped
        // apart so that freeing them returns them to the system.
        new("MALLOC_ARENA_MAX", "2"),
        new("MALLOC_TRIM_THRESHOLD_", "131072"),
        new("MALLOC_MMAP_THRESHOLD_", "65536"),
    ];

    /// <summary>The variables to add before starting over; empty when already tuned, opted out, or all set by the operator.</summary>
    internal static IReadOnlyDictionary<string, string> Additions(Func<string, string?> environment)
    {
        if (environment(Marker) is not null || string.Equals(environment(OptOut), "off", StringComparison.OrdinalIgnoreCase))
        {
            return new Dictionary<string, string>();
        }
        var additions = Settings.Where(s => environment(s.Key) is null).ToDictionary(s => s.Key, s => s.Value);
        if (additions.Count > 0)
        {
            additions[Marker] = "1";
        }
        return additions;
    }

    /// <summary>Starts the process over with <see cref="Settings"/> when needed; returns only if it did not (or could not).</summary>
    public static void StartOverIfUntuned()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var additions = Additions(Environment.GetEnvironmentVariable);
        if (additions.Count == 0)
        {
            return;
        }
        try
        {
            string?[] argv = [.. CommandLine(), null];
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .Select(e => $"{e.Key}={e.Value}")
                .Concat(additions.Select(a => $"{a.Key}={a.Value}"));
            string?[] envp = [.. environment, null];
            RemoveDiagnosticsEndpoint();
            var result = execve("/proc/self/exe", argv, envp);
            // Only reached when execve failed (-1): run as is rather than not at all.
            Warn($"execve returned {result}, errno {Marshal.GetLastPInvokeError()}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException or MarshalDirectiveException)
        {
            Warn(e.Message);
        }
    }

    private static void Warn(string reason) =>
        Console.Error.WriteLine($"warning: could not start over with the runtime settings ({reason}); running without them");

    /// <summary>The process's own argument vector as the kernel holds it, so the host (apphost or dotnet) starts the same way.</summary>
    private static string[] CommandLine() =>
        Encoding.UTF8.GetString(File.ReadAllBytes("/proc/self/cmdline")).TrimEnd('\0').Split('\0');

    /// <summary>
    /// The runtime's diagnostics socket is named after the PID and the process start time, both unchanged by execve, and is
    /// not removed by a runtime that is replaced; the new runtime makes its own.
    /// </summary>
    private static void RemoveDiagnosticsEndpoint()
    {
        try
        {
            foreach (var socket in Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
            {
                File.Delete(socket);
            }
        }
        catch (IOException)
        {
            // Best effort: a stale socket file costs nothing but a directory entry.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // LPStr is UTF-8 on Unix.
    [DllImport("libc", SetLastError = true, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int execve(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);
}
