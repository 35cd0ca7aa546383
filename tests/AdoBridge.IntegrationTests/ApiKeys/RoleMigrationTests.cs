using AdoBridge.ApiKeys;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Operations;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.IntegrationTests.ApiKeys;

/// <summary>Migration 0006: keys made when 'admin' meant everything become owners; product keys stay product keys.</summary>
public sealed class RoleMigrationTests
{
    [Theory]
    [MemberData(nameof(StorageEngine.Both), MemberType = typeof(StorageEngine))]
    public async Task Upgrade_AdminKeysBecomeOwners_ProductKeysStay(string engine)
    {
        var settings = await StorageEngine.SettingsAsync(engine);
        var dataDir = AdoBridgeServer.NewDataDir();
        var adminKey = "adbk_" + "roleupgrade1" + "_" + new string('a', 43);
        var productKey = "adbk_" + "roleupgrade2" + "_" + new string('p', 43);

        // A database at schema version 5, before roles were scoped, holding an admin key of a non-default environment and a product key.
        await using (var old = AdoBridgeApp.Build(MigrationTests.Args(settings, dataDir), null))
        {
            (await old.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(targetVersion: 5)).Count.ShouldBe(5);
            await using var db = await old.Services.GetRequiredService<IDbContextFactory<AdoBridgeDbContext>>().CreateDbContextAsync();
            db.Environments.Add(new() { Id = "staging", Name = "Staging", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            db.ApiKeys.Add(new() { Id = "roleupgrade1", EnvironmentId = "staging", Name = "old admin", Role = "admin", Hash = ApiKeyFormat.Hash(adminKey), CreatedAt = DateTimeOffset.UtcNow });
            db.ApiKeys.Add(new() { Id = "roleupgrade2", EnvironmentId = "staging", Name = "old product", Role = "product", Hash = ApiKeyFormat.Hash(productKey), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        settings.Remove("ADOBRIDGE_BOOTSTRAP_API_KEY");
        await using var server = await AdoBridgeServer.StartAsync(settings, dataDir);

        var keys = server.Service<ApiKeyService>();
        (await keys.FindAsync("roleupgrade1"))!.Role.ShouldBe(ApiKeyRoles.Owner);
        (await keys.FindAsync("roleupgrade2"))!.Role.ShouldBe(ApiKeyRoles.Product);
        using var formerAdmin = server.Client(adminKey);
        (await formerAdmin.GetAsync("/v1/admin/apps")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        (await formerAdmin.GetStringAsync("/v1/admin/api-keys")).ShouldContain("old product");
    }
}
