using AdoBridge.Actions;
using AdoBridge.AdminConsole;
using AdoBridge.ApiKeys;
using AdoBridge.Apps.Checks;
using AdoBridge.Apps;
using AdoBridge.AzureDevOps;
using AdoBridge.Connect;
using AdoBridge.ConnectSessions;
using AdoBridge.Connections;
using AdoBridge.Emulator;
using AdoBridge.Environments;
using AdoBridge.Events;
using AdoBridge.Mcp;
using AdoBridge.McpOAuth;
using AdoBridge.Hosting;
using AdoBridge.Operations.Health;
using AdoBridge.Problems;
using AdoBridge.Proxy;
using AdoBridge.RateLimiting;
using AdoBridge.Sandbox;
using AdoBridge.Security;
using AdoBridge.Storage;
using AdoBridge.Telemetry;
using AdoBridge.Webhooks;
using AdoBridge.Tokens;
using AdoBridge.Webhooks.BulkReplay;
using AdoBridge.Webhooks.Delivery;
using AdoBridge.Webhooks.Ingest;
using AdoBridge.Webhooks.Subscriptions;
using AdoBridge.Webhooks.Streaming;
using Microsoft.Extensions.Options;

namespace AdoBridge.Operations;

/// <summary>Builds, prepares and runs the AdoBridge server. Tests use <see cref="StartAsync"/> to run it on a real port.</summary>
internal static class AdoBridgeApp
{
    /// <summary>Runs the server until it is stopped; 2 when it refuses its configuration (the message says what to fix).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            await using var app = await StartAsync(args);
            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (Exception e) when (IsStartupFailure(e))
        {
            await Console.Error.WriteLineAsync("AdoBridge could not start: " + e.Message);
            return 2;
        }
    }

    /// <summary>A configuration the server refuses: its message names the setting and the fix, so it is shown without a stack trace.</summary>
    public static bool IsStartupFailure(Exception e)
        => e is StartupException or OptionsValidationException || (e is InvalidOperationException && e.Source == ServerAssembly);

    // Exception.Source is the simple name of the assembly that threw: ours, not the framework's.
    private static readonly string? ServerAssembly = typeof(AdoBridgeApp).Assembly.GetName().Name;

    /// <summary>Builds the server, brings storage up to date, maps the routes and starts listening.</summary>
    public static async Task<WebApplication> StartAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken ct = default)
    {
        var app = Build(args, configure);
        var startup = app.Services.GetRequiredService<StartupTasks>();
        await startup.RunAsync(ct);
        Map(app, app.Services.GetRequiredService<SandboxMode>().Enabled);
        await app.StartAsync(ct);

        var sandbox = await app.Services.GetRequiredService<SandboxSetup>().EnsureAsync(ct);
        var apps = await app.Services.GetRequiredService<AppRegistry>().ListAsync(ct);
        var doctor = app.Services.GetRequiredService<AppDoctor>();
        using var doctorTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        doctorTimeout.CancelAfter(TimeSpan.FromSeconds(10));
        var verdicts = await Task.WhenAll(apps.Select(async a =>
        {
            try
            {
                return await doctor.ExamineAsync(a, null, doctorTimeout.Token);
            }
            catch (OperationCanceledException)
            {
                return new DoctorReport(a.Name, DoctorCheck.Warn, [new DoctorCheck("doctor", DoctorCheck.Warn, "The live checks timed out.")]);
            }
        }));
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var storageText = storage.ParsedProvider == StorageProvider.Postgres ? "PostgreSQL" : "SQLite in " + app.Services.GetRequiredService<DataDirectory>().Path;
        await Console.Out.WriteLineAsync(Banner.Render(app.Services.GetRequiredService<PublicUrls>().BaseUrl, startup.Report,
            app.Services.GetRequiredService<SandboxMode>(), sandbox, apps, verdicts, storageText));
        app.Services.GetRequiredService<StartupGate>().Open();
        return app;
    }

    internal static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddAdoBridgeConfiguration(args);
        // appsettings.json turns Microsoft.AspNetCore.Hosting.Diagnostics off (None, not Warning): at any enabled level the
        // host starts an Activity per request, and HttpClient a child one per proxied call, for request logs that level never writes.
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        builder.Services.AddLogRedaction();
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 1024 * 1024);

        builder.Services
            .AddHosting().AddOperations().AddReadinessChecks()
            .AddProblems()
            .AddStorage()
            .AddSecretProtection()
            .AddEnvironments().AddApiKeys()
            .AddApps()
            .AddSandbox()
            .AddAzureDevOps()
            .AddEvents()
            .AddTokens()
            .AddAzureDevOpsConnections()
            .AddConnectSessions().AddConnect()
            .AddAppChecks()
            .AddProxy().AddActions()
            .AddServiceHooks()
            .AddWebhookDelivery().AddBulkReplay().AddEventStream()
            .AddMcpOAuth().AddMcp()
            .AddApiDocs()
            .AddAdminConsole()
            .AddTrustedProxies().AddRateLimits();
        builder.AddAdoBridgeTelemetry();

        configure?.Invoke(builder);
        return builder.Build();
    }

    private static void Map(WebApplication app, bool sandbox)
    {
        app.UseTrustedProxies();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Proxied calls with a valid API key, and service-hook notifications, are served here; routing is placed after them
        // (not first, as WebApplication would) so they skip it.
        app.UseProxyFastPath();
        app.UseIngestFastPath();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        // Checks every form post bound with [FromForm] (the admin console's); API routes take JSON and are not affected.
        app.UseAntiforgery();
        app.UseRateLimits();

        app.MapHealthApi();
        app.MapAdoBridgeTelemetry(ApiKeysServiceCollectionExtensions.OwnerPolicy);
        app.MapApiDocs();
        app.MapGet("/", LandingPage.Render).ExcludeFromDescription();

        app.MapConnectPages();
        app.MapAdminConsole();
        app.MapConsoleDelivery();
        app.MapServiceHookIngest();

        var v1 = app.MapGroup("/v1").RequireAuthorization(ApiKeysServiceCollectionExtensions.ProductPolicy);
        v1.MapSandboxApi();
        v1.MapConnectSessionsApi();
        v1.MapConnectionsApi();
        v1.MapEventsApi();
        v1.MapBulkReplayRunsApi();
        v1.MapEventStreamApi();
        v1.MapProxyApi();
        v1.MapActionsApi();
        v1.MapSubscriptionsApi();
        v1.MapWebhookEndpointsApi();
        app.MapMcpOAuth();
        app.MapMcp();

        var admin = app.MapGroup("/v1/admin").RequireAuthorization(ApiKeysServiceCollectionExtensions.AdminPolicy).WithTags("Admin");
        admin.MapAppsApi();
        admin.MapAppDoctorApi();
        admin.MapApiKeysApi();
        admin.MapEnvironmentsApi();
        admin.MapEncryptionKeysApi();
        admin.MapMigrationApi();

        if (sandbox && string.IsNullOrWhiteSpace(app.Services.GetRequiredService<IOptions<AdoBridgeOptions>>().Value.EmulatorUrl))
        {
            app.MapAzureDevOpsEmulator(SandboxMode.EmulatorPrefix).ExcludeFromDescription();
        }
    }

    /// <summary>The server's services without starting it, for commands that work on its storage (`adobridge migrate`).</summary>
    public static WebApplication BuildWithoutStarting(string[] args) => Build(args, null);
}
