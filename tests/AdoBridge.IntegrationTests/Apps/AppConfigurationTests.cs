using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.Operations;

namespace AdoBridge.IntegrationTests.Apps;

public sealed class AppConfigurationTests
{
    private const string ConfigApp = """
        {
          "AdoBridge": { "PublicBaseUrl": "https://adobridge.fabrikam.example" },
          "Apps": {
            "fabrikam": {
              "Type": "entra",
              "Tenant": "3f6a1c2e-8d4b-4e7a-9c15-2b7d9e0f4a61",
              "ClientId": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
              "ClientSecret": "Cf1~From.The-Config9File8Not7The6Api5xx",
              "AllowedReturnUrls": [ "https://review.fabrikam.example/done" ]
            }
          }
        }
        """;

    [Fact]
    public async Task ConfigFile_AppIsUsed_AndEditsApplyWithoutRestart()
    {
        var dataDir = AdoBridgeServer.NewDataDir();
        var file = Path.Combine(dataDir, "adobridge.json");
        await File.WriteAllTextAsync(file, ConfigApp);
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["ADOBRIDGE_CONFIG"] = file }, dataDir);
        using var client = server.Client();

        var app = await (await client.GetAsync("/v1/admin/apps/fabrikam")).ShouldBeJsonAsync();
        app.GetProperty("source").GetString().ShouldBe("configuration");
        app.GetProperty("redirectUri").GetString().ShouldBe("https://adobridge.fabrikam.example/connect/callback");
        (await client.GetAsync("/v1/sandbox")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a configured app turns sandbox mode off");

        await File.WriteAllTextAsync(file, ConfigApp.Replace("review.fabrikam.example/done", "review.fabrikam.example/changed", StringComparison.Ordinal));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string? returnUrl = null;
        while (DateTime.UtcNow < deadline)
        {
            var current = await (await client.GetAsync("/v1/admin/apps/fabrikam")).ShouldBeJsonAsync();
            returnUrl = current.GetProperty("allowedReturnUrls")[0].GetString();
            if (returnUrl!.EndsWith("/changed", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(200);
        }

        returnUrl.ShouldBe("https://review.fabrikam.example/changed");
    }

    [Fact]
    public async Task ConfigApp_CannotBeOverwrittenThroughTheApi()
    {
        var dataDir = AdoBridgeServer.NewDataDir();
        var file = Path.Combine(dataDir, "adobridge.json");
        await File.WriteAllTextAsync(file, ConfigApp);
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["ADOBRIDGE_CONFIG"] = file }, dataDir);
        using var client = server.Client();

        var response = await client.PutAsJsonAsync("/v1/admin/apps/fabrikam", new { type = "pat" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "app_defined_in_configuration");
        await (await client.DeleteAsync("/v1/admin/apps/fabrikam")).ShouldBeProblemAsync(HttpStatusCode.Conflict, "app_read_only");
    }

    [Fact]
    public async Task EnvironmentStyleSettings_DefineAnApp()
    {
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["Apps:tokens:Type"] = "pat",
            ["Apps:tokens:AzureDevOps:ServerUrl"] = "https://ado.fabrikam.example/tfs/DefaultCollection",
        });
        using var client = server.Client();

        var app = await (await client.GetAsync("/v1/admin/apps/tokens")).ShouldBeJsonAsync();

        app.GetProperty("type").GetString().ShouldBe("pat");
        app.GetProperty("azureDevOps").GetProperty("serverUrl").GetString().ShouldBe("https://ado.fabrikam.example/tfs/DefaultCollection");
    }

    [Theory]
    [InlineData("Apps:bad:ClientId", "not-a-guid", "Apps:bad:clientId")]
    [InlineData("Apps:bad:Tenant", "fabrikam", "Apps:bad:tenant")]
    [InlineData("Apps:bad:ClientSecret", "7e6d5c4b-3a29-4817-9e6d-5c4b3a291807", "Apps:bad:clientSecret")]
    [InlineData("Apps:bad:ClientSecert", "typo", "ClientSecert")]
    public async Task Start_InvalidConfiguredApp_RefusesNamingTheField(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Apps:bad:Type"] = "entra",
            ["Apps:bad:Tenant"] = "organizations",
            ["Apps:bad:ClientId"] = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
            ["Apps:bad:ClientSecret"] = "Cf1~From.The-Config9File8Not7The6Api5xx",
            ["AdoBridge:PublicBaseUrl"] = "https://adobridge.fabrikam.example",
        };
        settings[key] = value;

        var error = await Should.ThrowAsync<StartupException>(() => AdoBridgeServer.StartAsync(settings));

        error.Message.ShouldContain(expected);
        error.Message.ShouldNotContain("Cf1~From.The-Config9File8");
    }

    [Fact]
    public async Task Start_ConfigFileMissing_SaysWhichFile()
    {
        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            AdoBridgeServer.StartAsync(new Dictionary<string, string?> { ["ADOBRIDGE_CONFIG"] = "/nonexistent/adobridge.json" }));
        error.Message.ShouldContain("/nonexistent/adobridge.json");
    }
}
