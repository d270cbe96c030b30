using Parapet.Hosting;

namespace Parapet.Server.Tests.Infrastructure;

/// <summary>
/// One key-encryption key for every in-process server of this test run, made once by the server's own code: an RSA-3072
/// key per server would cost the suite minutes. Tests of the key itself make their own.
/// </summary>
internal static class TestKeyEncryptionKey
{
    private static readonly Lazy<string> Shared = new(() =>
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "parapet-tests", $"key-encryption-key-{Environment.ProcessId}.pem");
        KeyEncryptionKey.LoadOrCreate(new ServerOptions { KeyEncryptionKey = path });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return path;
    });

    public static string Path => Shared.Value;
}
