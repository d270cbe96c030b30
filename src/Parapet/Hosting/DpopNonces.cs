using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Parapet.Protocol.Dpop;
using Parapet.Protocol.Properties;

namespace Parapet.Hosting;

/// <summary>
/// DPoP server nonces (RFC 9449 §8) that every node accepts without asking the others: a nonce is the number of the current
/// time window (<c>dpopNonceCacheTime</c> seconds long), protected with ASP.NET Core Data Protection, whose keys all nodes
/// share through the database. A nonce of the current or the previous window is accepted, so one lives between one and two
/// windows. Each node makes one nonce per window and hands the same one to everyone (no work per request).
/// </summary>
internal sealed class DpopNonces(IDataProtectionProvider provider, TimeProvider time) : IDpopNonces
{
    /// <summary>Far longer than any nonce this class makes; anything longer is refused before any cryptography.</summary>
    private const int MaxLength = 512;

    private readonly IDataProtector _protector = provider.CreateProtector("Parapet.DpopNonce.v1");
    private (string Window, string Nonce)? _current;

    public string Current(ServerProperties properties)
    {
        var window = Window(properties, 0);
        var cached = _current;
        if (cached is { } c && c.Window == window)
        {
            return c.Nonce;
        }
        var nonce = _protector.Protect(window);
        _current = (window, nonce);
        return nonce;
    }

    public bool IsValid(string nonce, ServerProperties properties)
    {
        if (nonce.Length > MaxLength)
        {
            return false;
        }
        string window;
        try
        {
            window = _protector.Unprotect(nonce);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            // Not ours, tampered with, or its key is gone: the client is simply told the current nonce.
            return false;
        }
        return window == Window(properties, 0) || window == Window(properties, -1);
    }

    /// <summary>The window's length is part of its name, so a changed <c>dpopNonceCacheTime</c> never misreads an old nonce.</summary>
    private string Window(ServerProperties properties, int offset)
    {
        var length = properties.DpopNonceCacheTime;
        var number = time.GetUtcNow().ToUnixTimeSeconds() / length + offset;
        return string.Create(CultureInfo.InvariantCulture, $"{length}:{number}");
    }
}
