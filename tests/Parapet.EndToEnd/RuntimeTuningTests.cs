using System.Text;
using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>
/// The real <c>parapet serve</c> starts itself over once with the runtime settings (src/Parapet/Hosting/RuntimeTuning.cs):
/// the process the test started is the one serving, and its environment holds them.
/// </summary>
public sealed class RuntimeTuningTests(ParapetProcess server) : IClassFixture<ParapetProcess>
{
    [Fact]
    public async Task The_started_process_serves_with_the_runtime_settings_in_its_environment()
    {
        var environment = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"/proc/{server.ProcessId}/environ")).Split('\0');

        Assert.Contains("PARAPET_RUNTIME_TUNED=1", environment);
        Assert.Contains("DOTNET_GCgen0size=0x400000", environment);
        Assert.Contains("DOTNET_GCRegionSize=0x100000", environment);
        Assert.Contains("MALLOC_ARENA_MAX=2", environment);
        Assert.Contains("DOTNET_TC_QuickJit=0", environment);
        using var discovery = await server.Http.GetAsync(".well-known/openid-configuration");
        Assert.True(discovery.IsSuccessStatusCode);
        // One runtime, at most one diagnostics socket (none when diagnostics are off): the replaced runtime's was removed.
        var sockets = Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{server.ProcessId}-*-socket").Count();
        Assert.True(sockets <= 1, $"{sockets} diagnostics sockets for one process");
    }
}
