namespace Parapet.Protocol;

/// <summary>Base64url without padding (RFC 4648 §5), via the BCL's encoder.</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
    public static byte[] Decode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
    public static bool IsValid(string text) => System.Buffers.Text.Base64Url.IsValid(text);
}
