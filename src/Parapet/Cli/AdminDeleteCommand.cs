using System.CommandLine;

namespace Parapet.Cli;

/// <summary>A leaf that removes one thing by its name (<c>clients delete</c>, <c>users delete</c>, <c>par revoke</c>): DELETE, then one line.</summary>
internal sealed class AdminDeleteCommand : AdminCommand
{
    private readonly Argument<string> _name;
    private readonly Func<string, string> _pathOf;
    private readonly Func<string, string> _done;

    public AdminDeleteCommand(string name, string description, CliEnvironment env, Argument<string> argument, Func<string, string> pathOf, Func<string, string> done)
        : base(name, description, env)
    {
        _name = argument;
        _pathOf = pathOf;
        _done = done;
        Arguments.Add(argument);
    }

    protected override async Task RunAsync(CliContext context, CancellationToken ct)
    {
        var name = context.Parse.GetValue(_name)!;
        var response = await context.Admin.SendAsync(HttpMethod.Delete, _pathOf(name), null, ct);
        context.WriteResult(response.Body, _done(name));
    }
}
