using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Dpop;

/// <summary>
/// Server-provided DPoP nonces (RFC 9449 §8, §9). Every node must accept a nonce any other node handed out, without a
/// shared lookup per request: the host derives them from a time window with keys all nodes share.
/// </summary>
public interface IDpopNonces
{
    /// <summary>The nonce to hand out now (the same for everyone during a window).</summary>
    string Current(ServerProperties properties);

    /// <summary>True when <paramref name="nonce"/> was issued by this deployment for the current or the previous window.</summary>
    bool IsValid(string nonce, ServerProperties properties);
}
