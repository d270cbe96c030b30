using Flow;

// bench/Flow: `flow run …` drives the full authorization-code flow; `flow push …` drives POST /par with one client-
// authentication method; `flow keys …` writes the key material the auth-methods scenario registers; `flow fill …` inserts
// pushed requests into a stopped server's SQLite file. Each prints one machine-readable RESULT line on stdout (keys: none)
// and human-readable notes on stderr.
if (args.Length == 0 || args[0] is not ("run" or "push" or "keys" or "fill"))
{
    await Console.Error.WriteLineAsync("usage: flow run --url URL --client-id ID --client-secret S --redirect-uri URI --cookie 'parapet.session=…' [--workers 16] [--seconds 10]\n"
        + "       flow push --url URL --method M --client-id ID [--client-secret S | --key-file PEM --key-id KID | --cert PEM --cert-key PEM] --redirect-uri URI [--workers 32] [--seconds 15]\n"
        + "       flow keys --dir DIR\n"
        + "       flow fill --db FILE --rows N --client-id ID --redirect-uri URI [--pool K --pool-file FILE [--pool-chunk C]]");
    return 2;
}
var options = Options.Parse(args.AsSpan(1));
return args[0] switch
{
    "run" => await FlowRun.RunAsync(options),
    "push" => await PushRun.RunAsync(options),
    "keys" => BenchKeys.Write(options.Get("dir")),
    _ => Fill.Run(options),
};
