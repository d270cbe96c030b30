using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Parapet.Protocol;

namespace Parapet.Hosting;

/// <summary>
/// <see cref="ISecretVault"/> over ASP.NET Core Data Protection (DESIGN §2.4), whose key ring lives in the database, so a
/// secret protected on one node is read on any other.
/// </summary>
internal sealed class DataProtectionSecretVault(IDataProtectionProvider provider) : ISecretVault
{
    private readonly IDataProtector _protector = provider.CreateProtector("Parapet.ClientSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string? Unprotect(string protectedSecret)
    {
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
