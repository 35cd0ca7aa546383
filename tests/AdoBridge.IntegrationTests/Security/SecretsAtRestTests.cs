using System.Net;
using System.Net.Http.Json;
using System.Text;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Security;
using Npgsql;

namespace AdoBridge.IntegrationTests.Security;

public sealed class SecretsAtRestTests
{
    private const string ClientSecret = "Sd7~Plain.Text-Should9Never8Appear7OnDisk";

    private static object EntraApp(string secret) => new
    {
        type = "entra",
        tenant = "organizations",
        clientId = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        clientSecrets = new[] { new { id = "s1", value = secret } },
        publicBaseUrl = "https://adobridge.contoso.example",
    };

    [Fact]
    public async Task SqliteFiles_HoldNoSecretInPlainText()
    {
        string apiKey;
        string dataDir;
        await using (var server = await AdoBridgeServer.StartAsync())
        {
            dataDir = server.DataDir;
            using var client = server.Client();
            (await client.PutAsJsonAsync("/v1/admin/apps/contoso", EntraApp(ClientSecret))).StatusCode.ShouldBe(HttpStatusCode.Created);
            var created = await (await client.PostAsJsonAsync("/v1/admin/api-keys", new { name = "scan me" })).ShouldBeJsonAsync(HttpStatusCode.Created);
            apiKey = created.GetProperty("key").GetString()!;
            var sandbox = await (await client.GetAsync("/v1/sandbox")).ShouldBeJsonAsync();
            sandbox.GetProperty("pat").GetString().ShouldNotBeNullOrEmpty();
        }

        // Every file AdoBridge wrote into its data folder, database, WAL and all, except the master key file itself.
        var files = Directory.GetFiles(dataDir).Where(f => !f.EndsWith("master.key", StringComparison.Ordinal) && !f.EndsWith("emulator-state.json", StringComparison.Ordinal)).ToList();
        files.ShouldContain(f => f.EndsWith("adobridge.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            var text = Encoding.UTF8.GetString(bytes);
            text.ShouldNotContain(ClientSecret, customMessage: file);
            text.ShouldNotContain(apiKey, customMessage: file);
            text.ShouldNotContain(apiKey[17..], customMessage: file);
            text.ShouldNotContain(AdoBridgeServer.BootstrapKey, customMessage: file);
        }

        // The secret is there, sealed: the database names the key that sealed it.
        var all = string.Concat(files.Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        all.ShouldContain("enc:v1:k");
    }

    [Fact]
    public async Task Postgres_HoldsNoSecretInPlainText()
    {
        var settings = await StorageEngine.SettingsAsync(StorageEngine.Postgres);
        await using var server = await AdoBridgeServer.StartAsync(settings);
        using var client = server.Client();
        (await client.PutAsJsonAsync("/v1/admin/apps/contoso", EntraApp(ClientSecret))).StatusCode.ShouldBe(HttpStatusCode.Created);

        await using var connection = new NpgsqlConnection(settings["Storage:ConnectionString"]);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT settings || coalesce(protected_secrets, '') FROM apps WHERE name = 'contoso'", connection);
        var stored = (string)(await command.ExecuteScalarAsync())!;
        stored.ShouldNotContain(ClientSecret);
        stored.ShouldContain("enc:v1:");
    }

    [Fact]
    public async Task KeyRotation_OldSecretsStayReadable_NewOnesUseTheNewKey()
    {
        await using var server = await AdoBridgeServer.StartAsync();
        using var client = server.Client();
        (await client.PutAsJsonAsync("/v1/admin/apps/before", EntraApp(ClientSecret))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var before = await (await client.GetAsync("/v1/admin/apps/before")).ShouldBeJsonAsync();
        var oldKey = server.Service<SecretProtector>().ActiveKeyId;

        var rotated = await (await client.PostAsync("/v1/admin/encryption-keys/rotate", null)).ShouldBeJsonAsync();
        var newKey = rotated.GetProperty("activeKeyId").GetString();
        newKey.ShouldNotBe(oldKey);
        (await client.PutAsJsonAsync("/v1/admin/apps/after", EntraApp("An0ther~Secret.Value-For9The8New7Key6xx"))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var storedBefore = await server.Service<AdoBridge.Apps.AppRegistry>().FindStoredAsync("before");
        var storedAfter = await server.Service<AdoBridge.Apps.AppRegistry>().FindStoredAsync("after");
        storedBefore!.ProtectedSecrets!.ShouldStartWith($"enc:v1:{oldKey}:");
        storedAfter!.ProtectedSecrets!.ShouldStartWith($"enc:v1:{newKey}:");
        var stillReadable = await (await client.GetAsync("/v1/admin/apps/before")).ShouldBeJsonAsync();
        stillReadable.GetProperty("clientSecrets")[0].GetProperty("fingerprint").GetString()
            .ShouldBe(before.GetProperty("clientSecrets")[0].GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task MasterKeyFile_IsCreatedOwnerOnly()
    {
        await using var server = await AdoBridgeServer.StartAsync();
        var path = Path.Combine(server.DataDir, "master.key");
        File.Exists(path).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task MasterKey_Changed_RefusesToStartAndSaysHowToRecover()
    {
        var dataDir = AdoBridgeServer.NewDataDir();
        var original = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var replacement = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
        await using (await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["ADOBRIDGE_MASTER_KEY"] = original }, dataDir))
        {
        }

        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["ADOBRIDGE_MASTER_KEY"] = replacement }, dataDir));
        error.Message.ShouldContain("ADOBRIDGE_MASTER_KEY_PREVIOUS");

        // With the old key named as previous, the ring is re-wrapped and the stored app still opens.
        await using var server = await AdoBridgeServer.StartAsync(
            new Dictionary<string, string?> { ["ADOBRIDGE_MASTER_KEY"] = replacement, ["ADOBRIDGE_MASTER_KEY_PREVIOUS"] = original }, dataDir);
        using var client = server.Client();
        (await client.GetAsync("/v1/admin/apps/sandbox")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task MasterKey_NotBase64Of32Bytes_RefusesToStart()
    {
        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["ADOBRIDGE_MASTER_KEY"] = "dG9vIHNob3J0" }));
        error.Message.ShouldContain("openssl rand -base64 32");
    }
}
