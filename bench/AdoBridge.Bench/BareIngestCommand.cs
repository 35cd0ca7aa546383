using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AdoBridge.Bench;

/// <summary>
/// The ingest baseline (issue 21), as the bare forwarder is the proxy's: the least a durable webhook receiver does. It checks
/// a shared secret in constant time, reads and parses the JSON, takes the event id and type, and commits the raw body in
/// group commits of up to 256 to SQLite (WAL, <c>synchronous=FULL</c>, as AdoBridge) or PostgreSQL, answering each request
/// only once its batch is committed; a repeated id is skipped (a primary key), as AdoBridge deduplicates. No normalisation,
/// no hook or subscription lookup, no fan-out, no statistics.
/// </summary>
internal static class BareIngestCommand
{
    public const string SecretHeader = "X-AdoBridge-Hook-Secret";
    private const int MaxBatch = 256;

    public static async Task<int> RunAsync(string[] args)
    {
        var port = Args.GetInt(args, "--port", 5083);
        var secret = Encoding.UTF8.GetBytes(Args.Get(args, "--secret") ?? throw new ArgumentException("--secret is required"));
        await using IBareStore store = Args.Get(args, "--postgres") is { } postgres
            ? new PostgresStore(postgres)
            : new SqliteStore(Args.Get(args, "--sqlite") ?? throw new ArgumentException("--sqlite FILE or --postgres CONNSTR is required"));
        await store.CreateAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
        var writer = Task.Run(() => WriteLoopAsync(queue.Reader, store));

        app.MapPost("/ingest", async context =>
        {
            var given = context.Request.Headers[SecretHeader].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), secret))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            string id, type;
            try
            {
                using var json = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
                id = json.RootElement.GetProperty("id").GetString()!;
                type = json.RootElement.GetProperty("eventType").GetString()!;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            var pending = new Pending(id, type, Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length));
            await queue.Writer.WriteAsync(pending, context.RequestAborted);
            context.Response.StatusCode = await pending.Committed.Task ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        });
        app.MapGet("/count", async context => await context.Response.WriteAsync((await store.CountAsync()).ToString(CultureInfo.InvariantCulture)));

        await app.RunAsync();
        queue.Writer.TryComplete();
        await writer;
        return 0;
    }

    private sealed record Pending(string Id, string Type, string Payload)
    {
        public TaskCompletionSource<bool> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static async Task WriteLoopAsync(ChannelReader<Pending> queue, IBareStore store)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await store.InsertAsync(batch);
                batch.ForEach(p => p.Committed.TrySetResult(true));
            }
#pragma warning disable CA1031 // the baseline answers 503 for a failed batch, as AdoBridge does, and goes on
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.Error.WriteLine($"bare ingest: commit failed: {e.Message}");
                batch.ForEach(p => p.Committed.TrySetResult(false));
            }

            batch.Clear();
        }
    }

    private interface IBareStore : IAsyncDisposable
    {
        Task CreateAsync();

        Task InsertAsync(List<Pending> batch);

        Task<long> CountAsync();
    }

    private const string CreateSql = "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, type TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL)";
    private const string InsertSql = "INSERT INTO events (id, type, payload, created_at) VALUES (@id, @type, @payload, @created) ON CONFLICT DO NOTHING";

    /// <summary>One connection, one prepared statement re-bound per event, one transaction (one fsync) per batch.</summary>
    private sealed class SqliteStore(string path) : IBareStore
    {
        private readonly SqliteConnection connection = new($"Data Source={path};Pooling=False");
        private SqliteCommand? insert;

        public async Task CreateAsync()
        {
            await connection.OpenAsync();
            await ExecuteAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            await ExecuteAsync(CreateSql);
            insert = connection.CreateCommand();
            insert.CommandText = InsertSql;
            foreach (var name in new[] { "@id", "@type", "@payload", "@created" })
            {
                insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        public async Task InsertAsync(List<Pending> batch)
        {
            await using var tx = connection.BeginTransaction();
            insert!.Transaction = tx;
            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            foreach (var e in batch)
            {
                insert.Parameters[0].Value = e.Id;
                insert.Parameters[1].Value = e.Type;
                insert.Parameters[2].Value = e.Payload;
                insert.Parameters[3].Value = now;
                await insert.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
        }

        public async Task<long> CountAsync()
        {
            await using var count = new SqliteConnection($"Data Source={path};Pooling=False");
            await count.OpenAsync();
            await using var command = count.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM events";
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            if (insert is not null)
            {
                await insert.DisposeAsync();
            }

            await connection.DisposeAsync();
        }

        private async Task ExecuteAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The batch's inserts in one command batch (one round trip) inside one transaction, as AdoBridge sends them.</summary>
    private sealed class PostgresStore(string connectionString) : IBareStore
    {
        private readonly NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString);

        public async Task CreateAsync()
        {
            await using var command = source.CreateCommand(CreateSql);
            await command.ExecuteNonQueryAsync();
        }

        public async Task InsertAsync(List<Pending> batch)
        {
            await using var connection = await source.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using var many = new NpgsqlBatch(connection, tx);
            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            foreach (var e in batch)
            {
                var command = new NpgsqlBatchCommand(InsertSql);
                command.Parameters.AddWithValue("@id", e.Id);
                command.Parameters.AddWithValue("@type", e.Type);
                command.Parameters.AddWithValue("@payload", e.Payload);
                command.Parameters.AddWithValue("@created", now);
                many.BatchCommands.Add(command);
            }

            await many.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }

        public async Task<long> CountAsync()
        {
            await using var command = source.CreateCommand("SELECT COUNT(*) FROM events");
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public ValueTask DisposeAsync() => source.DisposeAsync();
    }
}
