namespace Parapet.Protocol.Tests.Fakes;

/// <summary>A reversible, visibly "sealed" stand-in for Data Protection.</summary>
internal sealed class FakeSecretVault : ISecretVault
{
    public static readonly FakeSecretVault Instance = new();

    public string Protect(string secret) => "sealed:" + secret;

    public string? Unprotect(string protectedSecret) => protectedSecret.StartsWith("sealed:", StringComparison.Ordinal) ? protectedSecret[7..] : null;
}
