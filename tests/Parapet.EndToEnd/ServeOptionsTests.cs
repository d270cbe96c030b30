using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>The real <c>parapet serve</c> refuses a start-up option it cannot work with: one line on stderr, exit code 1.</summary>
public sealed class ServeOptionsTests
{
    [Fact]
    public async Task Serve_with_an_https_url_and_no_certificate_exits_1_with_the_reason()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "parapet-e2e", Guid.NewGuid().ToString("N"));

        var (exitCode, output) = await ParapetProcess.RunCliAsync("serve", "--urls", $"https://127.0.0.1:{FreePorts.Next()}", "--data-dir", dataDir);

        Assert.Equal(1, exitCode);
        Assert.Contains("error: An https URL needs a certificate: give --tls-cert FILE --tls-key FILE, or --tls-self-signed for loopback.", output);
        Assert.DoesNotContain("   at ", output);
    }
}
