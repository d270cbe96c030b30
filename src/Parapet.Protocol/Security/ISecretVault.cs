namespace Parapet.Protocol;

/// <summary>
/// Reversible protection for the few secrets the server must read back: a <c>client_secret_jwt</c> client's secret is the
/// HMAC key of its assertions (DESIGN §2.4). The host implements it with ASP.NET Core Data Protection, whose keys live in the
/// database so every node can read what another protected.
/// </summary>
public interface ISecretVault
{
    string Protect(string secret);

    /// <summary>The secret, or null when the text cannot be unprotected (tampered, or its key is gone).</summary>
    string? Unprotect(string protectedSecret);
}
