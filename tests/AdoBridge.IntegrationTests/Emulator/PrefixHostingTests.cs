using System.Net;
using AdoBridge.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AdoBridge.IntegrationTests.Emulator;

/// <summary>The server hosts the emulator in-process under a prefix (sandbox mode): every URL it hands out must keep the prefix.</summary>
public sealed class PrefixHostingTests
{
    [Fact]
    public async Task MappedUnderPrefix_FormsDiscoveryAndPagingUrlsStayUnderThePrefix()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAzureDevOpsEmulator();
        await using var app = builder.Build();
        app.MapAzureDevOpsEmulator("/_emulator");
        await app.StartAsync();
        var baseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/_emulator/");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseUrl };
        var state = app.Services.GetRequiredService<EmulatorState>();
        var clientId = Guid.NewGuid().ToString();
        state.RegisterEntraApp(new EntraAppRegistration(EmulatorDefaults.TenantId, clientId, "Sandbox", [new EmulatorClientSecret("id", "value", null)], ["http://127.0.0.1:1/cb"]));

        var discovery = await Json.OkAsync(await http.GetAsync($"{EmulatorDefaults.LoginHost}/{EmulatorDefaults.TenantId}/v2.0/.well-known/openid-configuration"));
        var page = await (await http.GetAsync($"{EmulatorDefaults.LoginHost}/organizations/oauth2/v2.0/authorize?client_id={clientId}&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcb&scope={EmulatorDefaults.AzureDevOpsResourceId}%2F.default")).Content.ReadAsStringAsync();

        discovery.GetProperty("token_endpoint").GetString().ShouldBe($"{baseUrl}{EmulatorDefaults.LoginHost}/{EmulatorDefaults.TenantId}/oauth2/v2.0/token");
        page.ShouldContain($"action=\"{baseUrl}{EmulatorDefaults.LoginHost}/organizations/oauth2/v2.0/login\"");
        (await http.GetAsync($"{EmulatorDefaults.DevOpsHost}/fabrikam/_apis/projects?api-version=7.1")).StatusCode.ShouldBe(HttpStatusCode.NonAuthoritativeInformation);
    }
}
