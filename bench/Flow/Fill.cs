using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Parapet.Protocol.Par;

namespace Flow;

/// <summary>
/// Fills <c>pushed_requests</c> of a stopped server's SQLite file with unexpired pushed requests, the way /par stores them:
/// references in /par's format (<see cref="Parapet.Protocol.Par.RequestUri"/>), issued over the five minutes before the fill with
/// /par's default lifetime of 600 s, so all are unexpired for at least five minutes, as a busy server's store would hold them;
/// each row is under the key /par gives it (issue time in hex, then the reference's SHA-256); the request is the JSON /par
/// writes. (An earlier fill gave every row an expiry ten years ahead, which no pushed request has: every new push's expiry
/// then fell before all of them, in the middle of the expiry index, where SQLite splits pages in two.) The first
/// <c>--pool</c> references are written to <c>--pool-file</c> (one request URI per line, in random order within each chunk of
/// <c>--pool-chunk</c> lines) so a load generator can claim them; the rest are never known to anyone. Rows are inserted in key order, 50 000 per transaction.
/// </summary>
internal static class Fill
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(600);
    private const int RowsPerCommit = 50_000;

    public static int Run(Options options)
    {
        var db = options.Get("db");
        var rows = options.Int("rows", 1_000_000);
        var pool = options.Int("pool", 0);
        var poolChunk = Math.Max(1, options.Int("pool-chunk", pool));
        var poolFile = options.Get("pool-file", "");
        var clientId = options.Get("client-id");
        var redirectUri = options.Get("redirect-uri");
        var stopwatch = Stopwatch.StartNew();

        var start = DateTimeOffset.UtcNow;
        var keys = new (string Key, string? Reference, long CreatedAt)[rows];
        for (var i = 0; i < rows; i++)
        {
            var createdAt = (start - Window).AddMilliseconds(Window.TotalMilliseconds * i / rows);
            var reference = RequestUri.NewReference(createdAt);
            keys[i] = (RequestUri.KeyOfReference(reference), i < pool ? reference : null, createdAt.ToUnixTimeMilliseconds());
        }
        if (pool > 0)
        {
            // Claimed in random order, as browsers would, not in the order of issue; but each chunk of --pool-chunk lines
            // (one claim instance's pool) holds the requests issued one after the other, so that an instance's claims fall
            // on as few rows of the store as on a store of just its pool (keys begin with the issue time): shuffled whole,
            // the pools of three instances on one store spread each instance's claims over three times the pages.
            var claims = keys.Take(pool).Select(k => RequestUri.Format(k.Reference!)).ToArray();
            for (var first = 0; first < pool; first += poolChunk)
            {
                Random.Shared.Shuffle(claims.AsSpan(first, Math.Min(poolChunk, pool - first)));
            }
            File.WriteAllLines(poolFile, claims);
        }
        Array.Sort(keys, (a, b) => string.CompareOrdinal(a.Key, b.Key));

        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            // Setup only: the server's own durability settings are untouched (they are per connection, and WAL is in the file).
            pragma.CommandText = "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;";
            pragma.ExecuteNonQuery();
        }
        {
            // In transactions of RowsPerCommit, each followed by a checkpoint that starts the log over: one transaction of a
            // million rows grew a ~500 MB log, new memory the benchmark's VM has to map in, and the server started after the
            // fill then found less of its memory ready (bench/README.md, session 10).
            var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO pushed_requests (\"Key\",\"ClientId\",\"Request\",\"CreatedAt\",\"ExpiresAt\",\"ViaPar\",\"RedirectUriRegistered\",\"ClaimedBy\",\"ConsumedAt\") "
                + "VALUES ($k,$c,$r,$t,$e,1,1,NULL,NULL)";
            var k = insert.Parameters.Add("$k", SqliteType.Text);
            var c = insert.Parameters.Add("$c", SqliteType.Text);
            var r = insert.Parameters.Add("$r", SqliteType.Text);
            var t = insert.Parameters.Add("$t", SqliteType.Integer);
            var e = insert.Parameters.Add("$e", SqliteType.Integer);
            insert.Prepare();
            c.Value = clientId;
            var challenge = new byte[32];
            for (var i = 0; i < rows; i++)
            {
                if (i > 0 && i % RowsPerCommit == 0)
                {
                    transaction.Commit();
                    transaction.Dispose();
                    using (var restart = connection.CreateCommand())
                    {
                        restart.CommandText = "PRAGMA wal_checkpoint(RESTART);";
                        restart.ExecuteNonQuery();
                    }
                    transaction = connection.BeginTransaction();
                    insert.Transaction = transaction;
                }
                RandomNumberGenerator.Fill(challenge);
                k.Value = keys[i].Key;
                t.Value = keys[i].CreatedAt;
                e.Value = keys[i].CreatedAt + (long)Lifetime.TotalMilliseconds;
                // What /par stores for the benchmark's push (source-generated JSON of AuthorizationRequest, nulls omitted).
                r.Value = string.Create(CultureInfo.InvariantCulture,
                    $$"""{"client_id":"{{clientId}}","response_type":"code","redirect_uri":"{{redirectUri}}","scope":"openid profile","state":"fill{{i}}","nonce":"n{{i}}","code_challenge":"{{FlowRun.Base64Url(SHA256.HashData(challenge))}}","code_challenge_method":"S256"}""");
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            transaction.Dispose();
        }
        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); SELECT count(*) FROM pushed_requests;";
            using var reader = checkpoint.ExecuteReader();
            reader.NextResult();
            reader.Read();
            Console.WriteLine(FormattableString.Invariant($"RESULT inserted={rows} total_rows={reader.GetInt64(0)} seconds={stopwatch.Elapsed.TotalSeconds:F1} pool={pool}"));
        }
        return 0;
    }
}
