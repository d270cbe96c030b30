using System.Security.Cryptography;

namespace Parapet.Protocol;

/// <summary>
/// Random bytes for the identifiers issued on every request (request URIs, codes, handles), from the system's CSPRNG drawn a
/// kilobyte at a time per thread. On Linux each <see cref="RandomNumberGenerator"/> call goes through OpenSSL (RAND_bytes and
/// the shim's error-queue clearing) and costs ~1 µs whatever the size, while 32 bytes of a 1 KB draw cost ~0.02 µs: at
/// POST /par that is ~1 µs of ~40 per push (bench/README.md). Hand-written because .NET has no buffered generator. Bytes are
/// wiped from the buffer as they are handed out, so the buffer only ever holds bytes not yet issued.
/// </summary>
public static class SecureRandom
{
    private const int BufferSize = 1024;

    /// <summary>Larger requests go straight to the generator: buffering them would save nothing.</summary>
    private const int MaxBuffered = 64;

    [ThreadStatic]
    private static byte[]? t_buffer;

    /// <summary>Unissued bytes at the end of this thread's buffer (0 on a thread's first use: nothing drawn yet).</summary>
    [ThreadStatic]
    private static int t_available;

    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > MaxBuffered)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }
        var buffer = t_buffer ??= new byte[BufferSize];
        if (t_available < destination.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            t_available = BufferSize;
        }
        var issued = buffer.AsSpan(BufferSize - t_available, destination.Length);
        issued.CopyTo(destination);
        CryptographicOperations.ZeroMemory(issued);
        t_available -= destination.Length;
    }
}
