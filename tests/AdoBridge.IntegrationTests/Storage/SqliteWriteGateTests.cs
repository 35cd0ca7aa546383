using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Operations;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.Storage;

/// <summary>
/// Every Entity Framework write on SQLite queues in the write gate (through its interceptor), so it never polls SQLite's
/// lock against the busy writers; a flow that holds the gate writes without queueing again; and nothing keeps the gate
/// after its transaction or connection has ended. On a real SQLite file.
/// </summary>
public sealed class SqliteWriteGateTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(5);
    private Microsoft.AspNetCore.Builder.WebApplication app = null!;

    private SqliteWriteGate Gate => app.Services.GetRequiredService<SqliteWriteGate>();

    private IDbContextFactory<AdoBridgeDbContext> Contexts => app.Services.GetRequiredService<IDbContextFactory<AdoBridgeDbContext>>();

    public async Task InitializeAsync()
    {
        app = AdoBridgeApp.Build(MigrationTests.Args(new Dictionary<string, string?>(), AdoBridgeServer.NewDataDir()), null);
        await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task AWriteOutsideTheGate_WaitsForItsTurn_ThenRuns()
    {
        await AddEnvironmentAsync("renamable");
        var (held, release) = HoldExplicitly();
        await held;

        var insert = Task.Run(() => AddEnvironmentAsync("waiting"));
        var update = Task.Run(async () =>
        {
            await using var db = await Contexts.CreateDbContextAsync();
            return await db.Environments.Where(e => e.Id == "renamable").ExecuteUpdateAsync(s => s.SetProperty(e => e.Name, "Renamed"));
        });

        // Neither polls SQLite meanwhile (the gate's holder has not even begun a transaction): both wait for the turn.
        await Task.Delay(300);
        insert.IsCompleted.ShouldBeFalse();
        update.IsCompleted.ShouldBeFalse();

        release.SetResult();
        await insert.WaitAsync(Long);
        (await update.WaitAsync(Long)).ShouldBe(1);
        Gate.Current.ShouldBeNull();
    }

    [Fact]
    public async Task IngestsCommit_GoesAheadOfTheQueuedWriters_WhoKeepTheirOrder()
    {
        var (held, release) = HoldExplicitly();
        await held;
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Task Writer(string name, bool ahead) => Task.Run(async () =>
        {
            using (await Gate.EnterAsync(sqlite: true, CancellationToken.None, ahead))
            {
                order.Enqueue(name);
            }
        });

        var first = Writer("background 1", ahead: false);
        await WaitUntilAsync(() => Gate.Queued == 1);
        var second = Writer("background 2", ahead: false);
        await WaitUntilAsync(() => Gate.Queued == 2);
        var ingest = Writer("ingest", ahead: true);
        await WaitUntilAsync(() => Gate.Queued == 3);

        release.SetResult();
        await Task.WhenAll(first, second, ingest).WaitAsync(Long);
        order.ShouldBe(["ingest", "background 1", "background 2"]);
        Gate.Current.ShouldBeNull();
        Gate.Queued.ShouldBe(0);
    }

    [Fact]
    public async Task AWriterCancelledWhileQueued_LeavesTheQueue()
    {
        var (held, release) = HoldExplicitly();
        await held;
        using var cancel = new CancellationTokenSource();
        var waiting = Task.Run(async () => await Gate.EnterAsync(sqlite: true, cancel.Token));
        await WaitUntilAsync(() => Gate.Queued == 1);

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => waiting.WaitAsync(Long));
        Gate.Queued.ShouldBe(0);
        release.SetResult();
        await AddEnvironmentAsync("after-cancel").WaitAsync(Long);
    }

    [Fact]
    public async Task ATransaction_HoldsTheTurnUntilItCommits()
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var began = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = Task.Run(async () =>
        {
            await using var db = await Contexts.CreateDbContextAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Environments.Add(new EnvironmentEntity { Id = "in-tx", Name = "In a transaction", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            began.SetResult();
            await committed.Task;
            await tx.CommitAsync();
        });
        await began.Task.WaitAsync(Long);
        Gate.Current.ShouldNotBeNull();

        var explicitTurn = Task.Run(async () =>
        {
            using var turn = await Gate.EnterAsync(sqlite: true, CancellationToken.None);
            return turn is not null;
        });
        await Task.Delay(300);
        explicitTurn.IsCompleted.ShouldBeFalse();

        committed.SetResult();
        await writer.WaitAsync(Long);
        (await explicitTurn.WaitAsync(Long)).ShouldBeTrue();
        Gate.Current.ShouldBeNull();
    }

    [Fact]
    public async Task AFlowHoldingTheGate_WritesThroughEfWithoutQueueingBehindItself()
    {
        using (await Gate.EnterAsync(sqlite: true, CancellationToken.None))
        {
            // A second context, its own connection and its own transaction: still this flow's turn, so no wait.
            await AddEnvironmentAsync("nested").WaitAsync(Long);
            await using var db = await Contexts.CreateDbContextAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            (await db.Environments.Where(e => e.Id == "nested").ExecuteUpdateAsync(s => s.SetProperty(e => e.Name, "Nested, renamed"))).ShouldBe(1);
            await tx.CommitAsync();
        }

        Gate.Current.ShouldBeNull();
        await using var check = await Contexts.CreateDbContextAsync();
        (await check.Environments.SingleAsync(e => e.Id == "nested")).Name.ShouldBe("Nested, renamed");
    }

    [Fact]
    public async Task ATransactionDisposedWithoutAnEnd_GivesTheTurnBackWithItsContext()
    {
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            var tx = await db.Database.BeginTransactionAsync();
            db.Environments.Add(new EnvironmentEntity { Id = "abandoned", Name = "Abandoned", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            Gate.Current.ShouldNotBeNull();
            await tx.DisposeAsync();
        }

        Gate.Current.ShouldBeNull();
        await AddEnvironmentAsync("after").WaitAsync(Long);
        await using var check = await Contexts.CreateDbContextAsync();
        (await check.Environments.AnyAsync(e => e.Id == "abandoned")).ShouldBeFalse();
    }

    [Fact]
    public async Task AFailedWrite_GivesTheTurnBack()
    {
        await AddEnvironmentAsync("twice");
        await Should.ThrowAsync<DbUpdateException>(() => AddEnvironmentAsync("twice"));
        Gate.Current.ShouldBeNull();
        await AddEnvironmentAsync("next").WaitAsync(Long);
    }

    [Theory]
    [InlineData("INSERT INTO x VALUES (1)", true)]
    [InlineData("  update x set a = 1", true)]
    [InlineData("DELETE FROM x", true)]
    [InlineData("REPLACE INTO x VALUES (1)", true)]
    [InlineData("-- tagged by EF\n-- twice\nUPDATE x SET a = 1", true)]
    [InlineData("SELECT * FROM x", false)]
    [InlineData("-- UPDATE in a comment\nSELECT 1", false)]
    [InlineData("PRAGMA wal_checkpoint(PASSIVE)", false)]
    [InlineData("", false)]
    public void IsWrite_ReadsTheStatementsFirstWord(string text, bool write)
        => SqliteWriteGateInterceptor.IsWrite(text).ShouldBe(write);

    private async Task AddEnvironmentAsync(string id)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        db.Environments.Add(new EnvironmentEntity { Id = id, Name = id, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline);
            await Task.Delay(10);
        }
    }

    /// <summary>Takes the gate explicitly in another flow (as ingest does) and holds it, without a transaction, until released.</summary>
    private (Task Held, TaskCompletionSource Release) HoldExplicitly()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            using var turn = await Gate.EnterAsync(sqlite: true, CancellationToken.None);
            held.SetResult();
            await release.Task;
        });
        return (held.Task, release);
    }
}
