namespace Parapet.Hosting;

/// <summary>A start-up option the server cannot work with (a missing file, a bad URL): <c>parapet serve</c> prints it and exits 1.</summary>
internal sealed class StartupError(string message, Exception? inner = null) : Exception(message, inner);
