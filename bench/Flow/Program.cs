using Flow;

// bench/Flow: `flow run …` drives the full authorization-code flow; `flow fill …` inserts pushed requests into a stopped
// server's SQLite file. Both print one machine-readable RESULT line on stdout and human-readable notes on stderr.
if (args.Length == 0 || args[0] is not ("run" or "fill"))
{
    await Console.Error.WriteLineAsync("usage: flow run --url URL --client-id ID --client-secret S --redirect-uri URI --cookie 'parapet.session=…' [--workers 16] [--seconds 10]\n"
        + "       flow fill --db FILE --rows N --client-id ID --redirect-uri URI [--pool K --pool-file FILE]");
    return 2;
}
var options = Options.Parse(args.AsSpan(1));
return args[0] == "run" ? await FlowRun.RunAsync(options) : Fill.Run(options);
