using Parapet.Cli;

return await CliApp.RunAsync(args);
