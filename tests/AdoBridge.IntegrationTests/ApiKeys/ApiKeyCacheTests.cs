using AdoBridge.ApiKeys;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.ApiKeys;

/// <summary>
/// The API key check is cached for ten seconds from the row's read, renewed in the background in its last two: a key
/// revoked on another instance (here: in the database behind the service's back) is refused within those ten seconds
/// whether or not calls keep coming, and steady calls never wait for the database.
/// </summary>
public sealed class ApiKeyCacheTests : IAsyncLifetime
{
    private AdoBridgeServer server = null!;
    private IDbContextFactory<AdoBridgeDbContext> contexts = null!;
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private ApiKeyService keys = null!;
    private string environmentId = null!;

    public async Task InitializeAsync()
    {
        server = await AdoBridgeServer.StartAsync();
        contexts = server.Service<IDbContextFactory<AdoBridgeDbContext>>();
        keys = new ApiKeyService(contexts, clock, new ApiKeyUsage(contexts, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyUsage>.Instance));
        environmentId = (await keys.AuthenticateAsync(AdoBridgeServer.BootstrapKey))!.EnvironmentId;
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task RevokedElsewhere_UnderSteadyCalls_RefusedBeforeTheTenSecondsAreUp()
    {
        var (row, key) = await keys.CreateAsync(environmentId, "steady", ApiKeyRoles.Product);
        (await keys.AuthenticateAsync(key)).ShouldNotBeNull();
        await RevokeBehindTheCacheAsync(row.Id);

        clock.Advance(TimeSpan.FromSeconds(5));
        (await keys.AuthenticateAsync(key)).ShouldNotBeNull("within ten seconds of its read, the cached check stands");

        // In the last two seconds one call starts a re-read and is itself answered from the cache; the re-read lands
        // before the ten seconds are up (the clock does not move while this waits).
        clock.Advance(TimeSpan.FromSeconds(3.5));
        (await keys.AuthenticateAsync(key)).ShouldNotBeNull();
        await WaitUntilAsync(async () => await keys.AuthenticateAsync(key) is null);
    }

    [Fact]
    public async Task RevokedElsewhere_NoCallsMeanwhile_RefusedOnceTheTenSecondsAreUp()
    {
        var (row, key) = await keys.CreateAsync(environmentId, "idle", ApiKeyRoles.Product);
        (await keys.AuthenticateAsync(key)).ShouldNotBeNull();
        await RevokeBehindTheCacheAsync(row.Id);

        clock.Advance(TimeSpan.FromSeconds(10.001));
        (await keys.AuthenticateAsync(key)).ShouldBeNull();
    }

    [Fact]
    public async Task Renewal_ExtendsTheEntry_FromTheReRead()
    {
        var (row, key) = await keys.CreateAsync(environmentId, "renewed", ApiKeyRoles.Product);
        (await keys.AuthenticateAsync(key))!.Role.ShouldBe(ApiKeyRoles.Product);

        // A change made elsewhere, seen only through a re-read: the renewal started at 9 s carries it.
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.ApiKeys.Where(k => k.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.Role, ApiKeyRoles.Admin));
        }

        clock.Advance(TimeSpan.FromSeconds(9));
        (await keys.AuthenticateAsync(key))!.Role.ShouldBe(ApiKeyRoles.Product);
        await WaitUntilAsync(async () => (await keys.AuthenticateAsync(key))?.Role == ApiKeyRoles.Admin);

        // Renewed at 9 s, the entry now lasts until 19 s: a revocation made after the re-read is not seen at 15 s,
        // and is at 19 s.
        await RevokeBehindTheCacheAsync(row.Id);
        clock.Advance(TimeSpan.FromSeconds(6));
        (await keys.AuthenticateAsync(key)).ShouldNotBeNull();
        clock.Advance(TimeSpan.FromSeconds(4.001));
        (await keys.AuthenticateAsync(key)).ShouldBeNull();
    }

    [Fact]
    public async Task RevokedHere_RefusedAtOnce_EvenWithARenewalUnderWay()
    {
        var (row, key) = await keys.CreateAsync(environmentId, "here", ApiKeyRoles.Product);
        (await keys.AuthenticateAsync(key)).ShouldNotBeNull();
        clock.Advance(TimeSpan.FromSeconds(9));
        (await keys.AuthenticateAsync(key)).ShouldNotBeNull();
        (await keys.RevokeAsync(row.Id)).ShouldBeTrue();

        for (var i = 0; i < 20; i++)
        {
            (await keys.AuthenticateAsync(key)).ShouldBeNull();
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task UnknownOrWrongKeys_AreRefused_AndNotRenewed()
    {
        var (_, key) = await keys.CreateAsync(environmentId, "wrong", ApiKeyRoles.Product);
        (await keys.AuthenticateAsync(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'))).ShouldBeNull();
        (await keys.AuthenticateAsync("adbk_nosuchkeyid_0123456789abcdefghijklmnopqrstuvwxyzABCDE")).ShouldBeNull();
        clock.Advance(TimeSpan.FromSeconds(9));
        (await keys.AuthenticateAsync("adbk_nosuchkeyid_0123456789abcdefghijklmnopqrstuvwxyzABCDE")).ShouldBeNull();
        (await keys.AuthenticateAsync(key)).ShouldNotBeNull();
    }

    private async Task RevokeBehindTheCacheAsync(string id)
    {
        await using var db = await contexts.CreateDbContextAsync();
        (await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, clock.GetUtcNow()))).ShouldBe(1);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the background re-read did not land");
            await Task.Delay(20);
        }
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
