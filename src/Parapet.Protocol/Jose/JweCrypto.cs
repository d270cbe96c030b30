using Microsoft.IdentityModel.Tokens;

namespace Parapet.Protocol.Jose;

/// <summary>
/// Plugs the two primitives IdentityModel lacks on Linux (<see cref="AesGcmDecryption"/>, <see cref="RsaOaep256Unwrap"/>)
/// into its JWE pipeline, through a factory of our own rather than the process-wide default.
/// </summary>
internal sealed class JweCrypto : ICryptoProvider
{
    public static readonly CryptoProviderFactory Factory = new() { CustomCryptoProvider = new JweCrypto(), CacheSignatureProviders = false };

    public bool IsSupportedAlgorithm(string algorithm, params object[] args) => (algorithm, args.FirstOrDefault()) switch
    {
        (JweAlgorithms.A256Gcm, SymmetricSecurityKey { KeySize: 256 }) => true,
        (JweAlgorithms.RsaOaep256, RsaSecurityKey { PrivateKeyStatus: PrivateKeyStatus.Exists }) => true,
        _ => false,
    };

    public object Create(string algorithm, params object[] args) => (algorithm, args.FirstOrDefault()) switch
    {
        (JweAlgorithms.A256Gcm, SymmetricSecurityKey key) => new AesGcmDecryption(key, algorithm),
        (JweAlgorithms.RsaOaep256, RsaSecurityKey key) => new RsaOaep256Unwrap(key),
        _ => throw new NotSupportedException(algorithm),
    };

    public void Release(object cryptoInstance) => (cryptoInstance as IDisposable)?.Dispose();
}
