using System.Security.Cryptography;
using System.Text;
using Parapet.Protocol;

namespace Parapet.Server.Tests.Infrastructure;

public static class Pkce
{
    public const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    public static string Challenge => Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
}
