namespace Parapet.Hosting;

/// <summary>Files that hold a secret (keys, credentials): created with mode 0600, so never readable by others, not even for a moment.</summary>
internal static class PrivateFile
{
    public static void Write(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(new FileStream(path, options)))
        {
            writer.Write(text);
        }
        if (!OperatingSystem.IsWindows())
        {
            // An existing file keeps its mode on FileMode.Create: set it too.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
