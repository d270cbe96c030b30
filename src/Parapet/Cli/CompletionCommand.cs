using System.CommandLine;

namespace Parapet.Cli;

/// <summary>
/// <c>parapet completion bash|zsh</c>: prints a shell completion script. The script asks <c>parapet</c> itself through
/// System.CommandLine's <c>[suggest]</c> directive, so completions always match this build's commands and options.
/// </summary>
internal sealed class CompletionCommand : Command
{
    private const string Bash = """
        # parapet completion for bash: eval "$(parapet completion bash)"
        _parapet_complete() {
          local IFS=$'\n'
          COMPREPLY=( $(parapet "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
        }
        complete -o default -F _parapet_complete parapet
        """;

    private const string Zsh = """
        # parapet completion for zsh: eval "$(parapet completion zsh)"
        _parapet_complete() {
          local -a completions
          completions=("${(@f)$(parapet "[suggest:${#BUFFER}]" "${BUFFER}" 2>/dev/null)}")
          compadd -a completions
        }
        compdef _parapet_complete parapet
        """;

    public CompletionCommand(CliEnvironment env) : base("completion", "Print a shell completion script (bash or zsh).")
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        Arguments.Add(shell);
        SetAction(parse => env.Out.WriteLine(parse.GetValue(shell) == "zsh" ? Zsh : Bash));
        this.WithExamples("eval \"$(parapet completion bash)\"", "parapet completion zsh >> ~/.zshrc");
    }
}
