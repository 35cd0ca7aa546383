using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.ApiKeys;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AdoBridge.IntegrationTests.ApiKeys;

/// <summary>A key's lastUsedAt follows its use: written in the background, at most once a minute per key.</summary>
public sealed class ApiKeyUsageTests : IAsyncLifetime
{
    private AdoBridgeServer server = null!;
    private IDbContextFactory<AdoBridgeDbContext> contexts = null!;
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        server = await AdoBridgeServer.StartAsync();
        contexts = server.Service<IDbContextFactory<AdoBridgeDbContext>>();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task AdminKey_AfterCalls_ListsItsLastUse()
    {
        using var admin = server.Client();
        var id = ApiKeyFormat.IdOf(AdoBridgeServer.BootstrapKey);
        (await admin.GetAsync("/v1/connections")).EnsureSuccessStatusCode();

        JsonElement listed = default;
        await EventuallyAsync(async () =>
        {
            var list = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/api-keys");
            listed = list.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
            return listed.GetProperty("lastUsedAt").ValueKind == JsonValueKind.String;
        });

        listed.GetProperty("lastUsedAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task KeyUsedAgain_WithinAMinute_KeepsTheFirstTime_AfterAMinute_TheNewOne()
    {
        var usage = new ApiKeyUsage(contexts, clock, NullLogger<ApiKeyUsage>.Instance);
        var keys = new ApiKeyService(contexts, clock, usage);
        var environmentId = (await keys.AuthenticateAsync(AdoBridgeServer.BootstrapKey))!.EnvironmentId;
        var (row, key) = await keys.CreateAsync(environmentId, "usage", ApiKeyRoles.Product);
        var first = clock.GetUtcNow();

        (await keys.AuthenticateAsync(key)).ShouldNotBeNull();
        await EventuallyAsync(async () => await LastUsedAsync(row.Id) == first);

        clock.Advance(TimeSpan.FromSeconds(59));
        usage.ShouldWrite(row.Id, clock.GetUtcNow()).ShouldBeFalse("the minute since the last write is not up");
        (await LastUsedAsync(row.Id)).ShouldBe(first);

        clock.Advance(TimeSpan.FromSeconds(2));
        (await keys.AuthenticateAsync(key)).ShouldNotBeNull();
        await EventuallyAsync(async () => await LastUsedAsync(row.Id) == first.AddSeconds(61));
    }

    private async Task<DateTimeOffset?> LastUsedAsync(string id)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return (await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id)).LastUsedAt;
    }

    // The write runs in the background: wait for its result (bounded), as a product would see it.
    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The expected value did not appear within 5 seconds.");
    }
}
