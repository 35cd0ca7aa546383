using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using AdoBridge.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace AdoBridge.Bench;

/// <summary>What the seed made, for the pages the console benchmark asks for.</summary>
internal sealed record SeedResult(
    string Environment, long Connections, long Subscriptions, long Events, long Deliveries, long Attempts, TimeSpan Elapsed,
    string MiddleConnectionId, string SomeConnectionId, string SomeEndUser, string SomeEventId, string RareSearch, string CommonSearch);

/// <summary>
/// Issue 19's scale data, written straight into AdoBridge's schema after its migrations ran (AdoBridge stopped): on SQLite
/// with one prepared INSERT per table in transactions of 50,000 rows, on PostgreSQL with binary COPY. Connections of many end
/// users in a mix of statuses (some needing re-authorisation), subscriptions with their service hooks, events of several
/// types across connections and the last 29 days (inside the 30-day retention), deliveries to the given endpoints and
/// attempts with status codes, durations and response excerpts. Everything is already delivered or dead, so nothing is
/// due when AdoBridge starts again; a few deliveries of the last hour are failing, to be retried in an hour.
/// </summary>
internal sealed class ConsoleSeed(string? postgres, string sqliteFile, int connections, int events, int attempts, IReadOnlyList<(string Id, string[] Filters)> endpoints)
{
    private static readonly string[] AdoTypes = ["pull_request.created", "pull_request.updated", "pull_request.updated", "git.push", "git.push", "work_item.updated", "work_item.created", "build.completed"];
    private static readonly Dictionary<string, string> SourceTypes = new()
    {
        ["pull_request.created"] = "git.pullrequest.created", ["pull_request.updated"] = "git.pullrequest.updated", ["git.push"] = "git.push",
        ["work_item.updated"] = "workitem.updated", ["work_item.created"] = "workitem.created", ["build.completed"] = "build.complete",
    };

    private static readonly string[] LifecycleTypes = ["connection.created", "connection.needs_reauth", "connection.reconnected", "connection.error"];
    private static readonly string[] Words = ["flaky", "refactor", "timeout", "login", "cache", "billing", "search", "upgrade", "docs", "pipeline", "retry", "memory"];
    private readonly Random rng = new(19);
    private readonly Stopwatch timer = new();

    public async Task<SeedResult> RunAsync()
    {
        timer.Start();
        await using var db = await OpenAsync();

        // The endpoints' environment (the API key's) gets the events; a tenth of the connections go to another one.
        var environment = await TextAsync(db, $"SELECT environment_id FROM webhook_endpoints WHERE id = '{endpoints[0].Id}'") ?? throw new InvalidOperationException("No endpoint.");
        var otherEnvironment = await TextAsync(db, $"SELECT id FROM environments WHERE id <> '{environment}' ORDER BY id LIMIT 1");
        Console.WriteLine($"seeding environment '{environment}'{(otherEnvironment is null ? string.Empty : $" (and a tenth of the connections in '{otherEnvironment}')")}…");

        // Secondary indexes are dropped for the load and built again after it: building one sorts once, where keeping it
        // up to date inserts at random places of a tree larger than the cache, row by row.
        var indexes = await SecondaryIndexesAsync(db);
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(db, $"DROP INDEX {name}");
        }

        var now = DateTimeOffset.UtcNow;
        var clock = new SeedClock();

        // Connections: 90% in the benchmark's environment, created over the last 180 days by 40% as many end users.
        var connectionIds = new List<string>(connections);
        var connectionEnv = new List<bool>(connections);
        var endUsers = Math.Max(1, connections * 2 / 5);
        string middle = string.Empty, someUser = string.Empty;
        await using (var writer = Writer(db, "connections",
            ["id", "environment_id", "end_user_id", "end_user_display_name", "app_name", "auth_type", "status", "status_reason", "status_error_code",
             "organizations", "identity_email", "access_token_expires_at", "last_refreshed_at", "refresh_failures", "created_at", "updated_at", "version"]))
        {
            for (var i = 0; i < connections; i++)
            {
                clock.Now = now.AddDays(-180).AddSeconds(180.0 * 86400 * i / connections);
                var id = Ids.New("conn", clock);
                var inMain = otherEnvironment is null || rng.Next(10) != 0;
                connectionIds.Add(id);
                connectionEnv.Add(inMain);
                var user = rng.Next(endUsers);
                var status = rng.Next(100) switch { < 90 => ConnectionStatus.Active, < 96 => ConnectionStatus.NeedsReauth, < 98 => ConnectionStatus.Revoked, _ => ConnectionStatus.Error };
                var pat = rng.Next(10) == 0;
                var orgs = rng.Next(4) switch { 0 => "[\"contoso\",\"fabrikam\"]", 1 => "[\"contoso\"]", _ => "[\"fabrikam\"]" };
                if (i == connections / 2)
                {
                    middle = id;
                }

                if (inMain && someUser.Length == 0 && i > connections / 3)
                {
                    someUser = $"user-{user}";
                }

                writer.Row(id, inMain ? environment : otherEnvironment, $"user-{user}", $"User {user}", "sandbox", pat ? AuthTypes.Pat : AuthTypes.Entra, status,
                    status == ConnectionStatus.NeedsReauth ? "The refresh token was revoked (AADSTS50173)." : status == ConnectionStatus.Error ? "Azure DevOps answered 500 three times." : null,
                    status == ConnectionStatus.NeedsReauth ? "invalid_grant" : null,
                    orgs, $"user-{user}@contoso.example", pat ? now.AddDays(rng.Next(-5, 200)) : clock.Now.AddHours(1), pat ? null : clock.Now, 0, clock.Now, clock.Now.AddMinutes(rng.Next(0, 600)), 1);
                Progress("connections", i + 1, connections);
            }
        }

        // Each connection's organisations, one row each (the console's organisation filter), as migration 16 fills them.
        await ExecuteAsync(db, postgres is not null
            ? "INSERT INTO connection_organizations (environment_id, organization, connection_id) SELECT c.environment_id, lower(o.value), c.id FROM connections c, jsonb_array_elements_text(c.organizations::jsonb) AS o(value) ON CONFLICT DO NOTHING"
            : "INSERT OR IGNORE INTO connection_organizations (environment_id, organization, connection_id) SELECT c.environment_id, lower(o.value), c.id FROM connections c, json_each(c.organizations) o");

        // Subscriptions on one connection in 20, two service hooks each; a few degraded, failed or silent.
        var subscriptionCount = 0;
        // Hooks first, so that their COPY (on PostgreSQL) completes after the subscriptions' it refers to.
        await using (var hooks = Writer(db, "service_hooks",
            ["id", "subscription_id", "environment_id", "connection_id", "event_type", "resource_version", "ado_subscription_id", "ado_status", "path_hash", "secret_hash",
             "secret", "last_event_at", "last_checked_at", "created_at", "updated_at"]))
        await using (var subs = Writer(db, "subscriptions",
            ["id", "environment_id", "connection_id", "organization", "project_id", "project_name", "repository_id", "repository_name", "collection_id", "status",
             "status_reason", "events_may_be_missed_since", "last_checked_at", "created_at", "updated_at"]))
        {
            for (var i = 0; i < connections; i += 20)
            {
                clock.Now = now.AddDays(-170).AddSeconds(170.0 * 86400 * i / connections);
                var id = Ids.New("sub", clock);
                var env = connectionEnv[i] ? environment : otherEnvironment;
                var state = rng.Next(100) switch { < 95 => SubscriptionStatus.Active, < 99 => SubscriptionStatus.Degraded, _ => SubscriptionStatus.Failed };
                var project = $"Project-{rng.Next(200)}";
                subs.Row(id, env, connectionIds[i], "fabrikam", Guid.NewGuid().ToString(), project, Guid.NewGuid().ToString(), $"repo-{rng.Next(50)}", Guid.NewGuid().ToString(), state,
                    state == SubscriptionStatus.Active ? null : "A service hook is on probation.", state == SubscriptionStatus.Active ? null : now.AddHours(-rng.Next(1, 48)),
                    now.AddMinutes(-rng.Next(1, 600)), clock.Now, clock.Now);
                foreach (var type in new[] { "git.pullrequest.created", "git.push" })
                {
                    var silent = rng.Next(50) == 0;
                    hooks.Row(Ids.New("hook", clock), id, env, connectionIds[i], type, "1.0", Guid.NewGuid().ToString(),
                        state == SubscriptionStatus.Active ? "enabled" : "onProbation", RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), "sealed-in-seed",
                        rng.Next(5) == 0 ? null : silent ? now.AddDays(-rng.Next(3, 20)) : now.AddMinutes(-rng.Next(1, 300)), now.AddMinutes(-rng.Next(1, 600)), clock.Now, clock.Now);
                }

                subscriptionCount++;
            }
        }

        Console.WriteLine($"  subscriptions: {subscriptionCount} with {subscriptionCount * 2} service hooks ({timer.Elapsed.TotalSeconds:F0} s)");

        // Events over the last 29 days; then their deliveries (to every endpoint whose filters match) and attempts, in one
        // pass, so the attempts come out near the requested total: most deliveries took one attempt, some several.
        var mainConnections = Enumerable.Range(0, connections).Where(i => connectionEnv[i]).Select(i => connectionIds[i]).ToArray();
        var expectedDeliveries = Math.Max(1.0, events * endpoints.Sum(e => MatchShare(e.Filters)));
        var extraPerFailing = 3.0; // a failing delivery took 4 attempts on average
        var failShare = Math.Clamp((attempts / expectedDeliveries - 1) / extraPerFailing, 0, 1);
        long seq = await ScalarAsync(db, "SELECT value FROM event_sequence WHERE id = 1");
        var firstSeq = seq;
        long deliveries = 0, attemptRows = 0;
        string someEvent = string.Empty;
        var rare = "needle-" + rng.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var sample = Math.Max(1, events / 7);
        var body = new System.Text.StringBuilder(2048);
        await using (var ev = Writer(db, "events",
            ["id", "environment_id", "type", "connection_id", "payload", "created_at", "source", "source_event_id", "source_event_type", "subscription_id", "organization",
             "project", "repository", "raw_payload", "dispatched_at", "seq"]))
        await using (var dl = Writer(db, "deliveries",
            ["id", "environment_id", "event_id", "endpoint_id", "status", "attempts", "next_attempt_at", "last_status_code", "last_error", "created_at", "completed_at"]))
        await using (var at = Writer(db, "delivery_attempts",
            ["id", "delivery_id", "event_id", "endpoint_id", "attempt", "started_at", "duration_ms", "status_code", "outcome", "error", "response_body"]))
        {
            for (var i = 0; i < events; i++)
            {
                clock.Now = now.AddDays(-29).AddSeconds((29.0 * 86400 - 120) * i / events);
                var created = clock.Now;
                var id = Ids.New("evt", clock);
                var connection = mainConnections[rng.Next(mainConnections.Length)];
                var lifecycle = rng.Next(100) < 15;
                var type = lifecycle ? LifecycleTypes[rng.Next(LifecycleTypes.Length)] : AdoTypes[rng.Next(AdoTypes.Length)];
                var word = Words[rng.Next(Words.Length)];
                var number = rng.Next(1, 99_999);
                var project = $"Project-{rng.Next(200)}";
                var repository = type.StartsWith("work_item", StringComparison.Ordinal) || lifecycle ? null : $"repo-{rng.Next(50)}";
                var text = i == events - sample ? rare : $"{word} fix {number}";
                if (i == events - sample)
                {
                    someEvent = id;
                }

                string payload, raw;
                if (lifecycle)
                {
                    payload = $"{{\"connectionId\":\"{connection}\",\"endUserId\":\"user-{rng.Next(endUsers)}\",\"app\":\"sandbox\",\"reason\":\"{text}\"}}";
                    raw = string.Empty;
                }
                else
                {
                    payload = $"{{\"organization\":\"fabrikam\",\"project\":\"{project}\",\"repository\":{(repository is null ? "null" : $"\"{repository}\"")},"
                        + $"\"item\":{{\"id\":{number},\"title\":\"{text}\",\"url\":\"https://dev.azure.com/fabrikam/{project}/_git/{repository}/pullrequest/{number}\","
                        + $"\"author\":\"user-{rng.Next(endUsers)}@contoso.example\",\"status\":\"active\",\"sourceRefName\":\"refs/heads/feature/{word}-{number}\"}}}}";
                    body.Clear();
                    body.Append("{\"subscriptionId\":\"").Append(Guid.NewGuid()).Append("\",\"notificationId\":").Append(number).Append(",\"id\":\"").Append(Guid.NewGuid())
                        .Append("\",\"eventType\":\"").Append(SourceTypes[type]).Append("\",\"publisherId\":\"tfs\",\"message\":{\"text\":\"")
                        .Append(text).Append("\"},\"resource\":{\"title\":\"").Append(text).Append("\",\"description\":\"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\",")
                        .Append("\"repository\":{\"name\":\"").Append(repository).Append("\",\"project\":{\"name\":\"").Append(project).Append("\"}},\"createdBy\":{\"displayName\":\"User\",\"uniqueName\":\"user@contoso.example\"}},")
                        .Append("\"resourceVersion\":\"1.0\",\"resourceContainers\":{\"collection\":{\"id\":\"").Append(Guid.NewGuid()).Append("\"},\"project\":{\"id\":\"").Append(Guid.NewGuid()).Append("\"}},\"createdDate\":\"")
                        .Append(created.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).Append("\"}");
                    raw = body.ToString();
                }

                ev.Row(id, environment, type, connection, payload, created, lifecycle ? EventSources.AdoBridge : EventSources.AzureDevOps,
                    lifecycle ? null : Guid.NewGuid().ToString(), lifecycle ? null : SourceTypes[type], null, lifecycle ? null : "fabrikam", lifecycle ? null : project, repository,
                    lifecycle ? null : raw, created, ++seq);

                foreach (var (endpointId, filters) in endpoints)
                {
                    if (!Matches(filters, type))
                    {
                        continue;
                    }

                    var deliveryId = Ids.New("dlv", clock);
                    var recent = now - created < TimeSpan.FromHours(1);
                    var failing = rng.NextDouble() < failShare;
                    var tries = failing ? rng.Next(2, 7) : 1;
                    var dead = failing && tries == 6 && !recent;
                    var stillFailing = failing && recent && rng.Next(4) == 0;
                    var started = created.AddMilliseconds(rng.Next(20, 400));
                    DateTimeOffset last = started;
                    for (var a = 1; a <= tries; a++)
                    {
                        var ok = a == tries && !dead && !stillFailing;
                        var duration = ok ? rng.Next(15, 250) : rng.Next(100, 10_000);
                        var code = ok ? 200 : rng.Next(3) switch { 0 => 500, 1 => 503, _ => (int?)null };
                        clock.Now = started;
                        at.Row(Ids.New("att", clock), deliveryId, id, endpointId, a, started, duration, code,
                            ok ? "succeeded" : code is null ? "timeout" : "failed", ok || code is not null ? null : "The endpoint did not answer within 10 s.",
                            ok ? "{\"ok\":true}" : code is null ? null : "<html><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>");
                        attemptRows++;
                        last = started.AddMilliseconds(duration);
                        started = last.AddSeconds(Math.Pow(5, a));
                    }

                    clock.Now = created;
                    var status = dead ? "dead" : stillFailing ? "pending" : "succeeded";
                    dl.Row(deliveryId, environment, id, endpointId, status, tries, stillFailing ? now.AddHours(1) : last, dead || stillFailing ? 503 : 200,
                        dead || stillFailing ? "503 Service Unavailable" : null, created, stillFailing ? null : last);
                    deliveries++;
                }

                Progress("events", i + 1, events, $"{deliveries:N0} deliveries, {attemptRows:N0} attempts");
            }
        }

        Console.Write($"  building {indexes.Count} indexes…");
        foreach (var (_, definition) in indexes)
        {
            await ExecuteAsync(db, definition);
        }

        Console.WriteLine($" done ({timer.Elapsed.TotalSeconds:F0} s)");
        await ExecuteAsync(db, $"UPDATE event_sequence SET value = {seq} WHERE id = 1");
        Console.WriteLine($"  event stream positions {firstSeq + 1}..{seq}");
        if (postgres is not null)
        {
            // Autovacuum would vacuum and analyse the new rows within minutes (setting the visibility map that index-only
            // scans rely on, as on any database that has been running a while); the benchmark does it at once.
            Console.Write("  VACUUM ANALYZE…");
            await ExecuteAsync(db, "VACUUM ANALYZE");
            Console.WriteLine($" done ({timer.Elapsed.TotalSeconds:F0} s)");
        }
        else
        {
            await ExecuteAsync(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        return new SeedResult(environment, connections, subscriptionCount, events, deliveries, attemptRows, timer.Elapsed, middle, mainConnections[mainConnections.Length / 3],
            someUser, someEvent, rare, Words[0]);
    }

    private static double MatchShare(string[] filters)
        => AdoTypes.Concat(LifecycleTypes).Count(t => Matches(filters, t)) / (double)(AdoTypes.Length + LifecycleTypes.Length);

    private static bool Matches(string[] filters, string type)
        => filters.Any(f => f == "*" || f == type || (f.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(f[..^1], StringComparison.Ordinal)));

    private void Progress(string what, long done, long total, string? more = null)
    {
        if (done % 100_000 == 0 || done == total)
        {
            Console.WriteLine($"  {what}: {done:N0} of {total:N0}{(more is null ? string.Empty : ", " + more)} ({timer.Elapsed.TotalSeconds:F0} s)");
        }
    }

    private async Task<DbConnection> OpenAsync()
    {
        if (postgres is not null)
        {
            var pg = new NpgsqlConnection(postgres);
            await pg.OpenAsync();
            return pg;
        }

        var sqlite = new SqliteConnection($"Data Source={sqliteFile}");
        await sqlite.OpenAsync();
        // Only for the seed: AdoBridge itself runs with synchronous=FULL.
        await ExecuteAsync(sqlite, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY; PRAGMA busy_timeout=10000;");
        return sqlite;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The seed's own statements.")]
    private static async Task ExecuteAsync(DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The seeded tables' indexes other than primary keys, with the statements that create them again.</summary>
    private async Task<List<(string Name, string Definition)>> SecondaryIndexesAsync(DbConnection db)
    {
        const string tables = "'connections', 'connection_organizations', 'subscriptions', 'service_hooks', 'events', 'deliveries', 'delivery_attempts'";
        await using var command = db.CreateCommand();
        command.CommandText = postgres is not null
            ? $"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ({tables}) AND indexname NOT LIKE '%_pkey'"
            : $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({tables}) AND sql IS NOT NULL";
        var list = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add((reader.GetString(0), reader.GetString(1)));
        }

        return list;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Ids AdoBridge made, in the seed's own statements.")]
    private static async Task<string?> TextAsync(DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() as string;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The seed's own statements.")]
    private static async Task<long> ScalarAsync(DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    // SQLite writes every table of a pass in one transaction at a time (one connection, no nesting); PostgreSQL runs one
    // COPY per table, each on its own connection.
    private SqliteBatch? batch;

    private RowWriter Writer(DbConnection db, string table, string[] columns)
    {
        if (postgres is not null)
        {
            var connection = new NpgsqlConnection(postgres);
            connection.Open();
            return new CopyWriter(connection, table, columns);
        }

        batch ??= new SqliteBatch((SqliteConnection)db);
        return new InsertWriter(batch, table, columns);
    }

    /// <summary>The open transaction the SQLite writers share, committed every 50,000 rows of them all.</summary>
    private sealed class SqliteBatch(SqliteConnection db)
    {
        private readonly List<SqliteCommand> commands = [];
        private SqliteTransaction? transaction;
        private int pending;

        public SqliteCommand Enlist(SqliteCommand command)
        {
            transaction ??= db.BeginTransaction();
            command.Transaction = transaction;
            commands.Add(command);
            return command;
        }

        public void Wrote()
        {
            if (++pending < 50_000)
            {
                return;
            }

            transaction!.Commit();
            transaction.Dispose();
            transaction = db.BeginTransaction();
            foreach (var command in commands)
            {
                command.Transaction = transaction;
            }

            pending = 0;
        }

        public void Leave(SqliteCommand command)
        {
            commands.Remove(command);
            command.Dispose();
            if (commands.Count == 0 && transaction is not null)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = null;
                pending = 0;
            }
        }
    }

    private sealed class SeedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private abstract class RowWriter : IAsyncDisposable
    {
        public abstract void Row(params object?[] values);

        public abstract ValueTask DisposeAsync();
    }

    /// <summary>SQLite: one prepared INSERT per table; times as AdoBridge stores them (UTC ISO text).</summary>
    private sealed class InsertWriter : RowWriter
    {
        private readonly SqliteBatch batch;
        private readonly SqliteCommand insert;

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Table and column names are the seed's own constants.")]
        public InsertWriter(SqliteBatch batch, string table, string[] columns)
        {
            this.batch = batch;
            insert = batch.Enlist(new SqliteCommand());
            insert.Connection = insert.Transaction!.Connection;
            insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
            for (var i = 0; i < columns.Length; i++)
            {
                insert.Parameters.Add(new SqliteParameter("$p" + i, null));
            }

            insert.Prepare();
        }

        public override void Row(params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters[i].Value = values[i] switch
                {
                    null => DBNull.Value,
                    DateTimeOffset t => AdoBridgeDbContext.SqliteText(t),
                    var v => v,
                };
            }

            insert.ExecuteNonQuery();
            batch.Wrote();
        }

        public override ValueTask DisposeAsync()
        {
            batch.Leave(insert);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>PostgreSQL: one binary COPY per table.</summary>
    private sealed class CopyWriter(NpgsqlConnection db, string table, string[] columns) : RowWriter
    {
        private readonly NpgsqlBinaryImporter importer = db.BeginBinaryImport($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");

        public override void Row(params object?[] values)
        {
            importer.StartRow();
            foreach (var value in values)
            {
                switch (value)
                {
                    case null: importer.WriteNull(); break;
                    case string s: importer.Write(s, NpgsqlDbType.Text); break;
                    case int n: importer.Write(n, NpgsqlDbType.Integer); break;
                    case long n: importer.Write(n, NpgsqlDbType.Bigint); break;
                    case byte[] b: importer.Write(b, NpgsqlDbType.Bytea); break;
                    case DateTimeOffset t: importer.Write(t.ToUniversalTime(), NpgsqlDbType.TimestampTz); break;
                    default: throw new ArgumentException($"No COPY mapping for {value.GetType()}.");
                }
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await importer.CompleteAsync();
            await importer.DisposeAsync();
            await db.DisposeAsync();
        }
    }
}
