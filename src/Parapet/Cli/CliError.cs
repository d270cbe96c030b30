namespace Parapet.Cli;

/// <summary>An expected failure (the server said no, a file is missing): its message is printed to stderr, without a stack trace.</summary>
internal sealed class CliError(string message) : Exception(message);
