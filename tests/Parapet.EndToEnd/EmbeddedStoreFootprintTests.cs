using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>
/// The embedded store never loads the PostgreSQL provider: its assembly would be resident memory for nothing (issue 5's
/// peak RSS). The JIT loads an assembly as soon as it compiles a method that calls into it, even down a branch never taken.
/// </summary>
public sealed class EmbeddedStoreFootprintTests(ParapetProcess server) : IClassFixture<ParapetProcess>
{
    [Fact]
    public async Task A_server_on_SQLite_never_maps_the_PostgreSQL_provider()
    {
        using var discovery = await server.Http.GetAsync(".well-known/openid-configuration");
        Assert.True(discovery.IsSuccessStatusCode);

        var maps = await File.ReadAllLinesAsync($"/proc/{server.ProcessId}/maps");

        Assert.Contains(maps, line => line.EndsWith("Microsoft.EntityFrameworkCore.Sqlite.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(maps, line => line.Contains("Npgsql", StringComparison.OrdinalIgnoreCase));
    }
}
