using AdoBridge.AdminConsole;
using AdoBridge.ApiKeys;
using AdoBridge.Apps;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Security;
using AdoBridge.Storage;
using Microsoft.Extensions.Options;

namespace AdoBridge.Operations;

/// <summary>What start-up found and did, for the banner.</summary>
internal sealed class StartupReport
{
    public IReadOnlyList<int> AppliedMigrations { get; set; } = [];
    public SchemaStatus? Schema { get; set; }
    public string? NewApiKey { get; set; }
    public string? ApiKeyNote { get; set; }
    public string KeySource { get; set; } = string.Empty;

    /// <summary>The one-time admin console setup token, issued while no console owner exists.</summary>
    public string? ConsoleSetupToken { get; set; }
}

/// <summary>Runs before AdoBridge serves: configuration checks, schema migrations, the key ring, sandbox decision, the first API key.</summary>
internal sealed partial class StartupTasks(
    IServiceProvider services,
    IConfiguration configuration,
    IOptions<StorageOptions> storage,
    IOptions<AdoBridgeOptions> options,
    ILogger<StartupTasks> logger)
{
    public const string BootstrapKeyVariable = "ADOBRIDGE_BOOTSTRAP_API_KEY";

    public StartupReport Report { get; } = new();

    public async Task RunAsync(CancellationToken ct)
    {
        var apps = services.GetRequiredService<AppRegistry>();
        var invalid = apps.FromConfigurationSection().SelectMany(a => a.Issues).Where(i => i.IsError).ToList();
        if (invalid.Count > 0)
        {
            throw new StartupException("The configuration has invalid apps:" + Environment.NewLine + string.Join(Environment.NewLine, invalid.Select(i => "  - " + i)));
        }

        var migrator = services.GetRequiredService<SchemaMigrator>();
        if (storage.Value.MigrateOnStartup)
        {
            Report.AppliedMigrations = await migrator.MigrateAsync(ct: ct);
        }

        Report.Schema = await migrator.GetStatusAsync(ct);
        if (!Report.Schema.IsCurrent)
        {
            throw new StartupException($"The database schema is at version {Report.Schema.CurrentVersion} of {Report.Schema.LatestVersion} and Storage:MigrateOnStartup is false. Run `adobridge migrate` first.");
        }

        await services.GetRequiredService<SecretProtector>().InitializeAsync(ct);
        Report.KeySource = services.GetRequiredService<MasterKey>().Source;

        await DecideSandboxAsync(apps, ct);
        await EnsureFirstApiKeyAsync(ct);
        Report.ConsoleSetupToken = await services.GetRequiredService<ConsoleAccounts>().IssueSetupTokenAsync(ct);
    }

    private async Task DecideSandboxAsync(AppRegistry apps, CancellationToken ct)
    {
        var mode = services.GetRequiredService<SandboxMode>();
        var setting = options.Value.Sandbox.Trim().ToLowerInvariant();
        if (setting is "on" or "true")
        {
            (mode.Enabled, mode.Reason) = (true, "AdoBridge:Sandbox is on");
        }
        else if (setting is "off" or "false")
        {
            (mode.Enabled, mode.Reason) = (false, "AdoBridge:Sandbox is off");
        }
        else
        {
            mode.Enabled = true; // lets ListAsync include the stored sandbox app while we look for real ones
            var real = (await apps.ListAsync(ct)).Where(a => a.Source != ResolvedApp.FromSandbox).ToList();
            (mode.Enabled, mode.Reason) = real.Count == 0
                ? (true, "no Azure app is configured")
                : (false, $"{real.Count} app(s) configured");
        }

        var environments = services.GetRequiredService<EnvironmentService>();
        await environments.EnsureAsync(EnvironmentService.Production, "Production", ct);
        if (mode.Enabled)
        {
            await environments.EnsureAsync(EnvironmentService.Sandbox, "Sandbox", ct);
        }
    }

    private async Task EnsureFirstApiKeyAsync(CancellationToken ct)
    {
        var keys = services.GetRequiredService<ApiKeyService>();
        var environment = services.GetRequiredService<SandboxMode>().Enabled ? EnvironmentService.Sandbox : EnvironmentService.Production;
        var chosen = configuration[BootstrapKeyVariable];
        if (!string.IsNullOrEmpty(chosen))
        {
            if (ApiKeyFormat.ValidateCustomKey(chosen) is { } problem)
            {
                throw new StartupException($"{BootstrapKeyVariable} {problem}");
            }

            var existing = await keys.FindAsync(ApiKeyFormat.IdOf(chosen), ct);
            if (existing is null)
            {
                await keys.CreateAsync(environment, "bootstrap", ApiKeyRoles.Owner, chosen, ct);
                Report.ApiKeyNote = $"API key from {BootstrapKeyVariable} registered (owner, environment '{environment}').";
            }
            else
            {
                Report.ApiKeyNote = existing.RevokedAt is null
                    ? $"API key from {BootstrapKeyVariable} is registered (environment '{existing.EnvironmentId}')."
                    : $"The key in {BootstrapKeyVariable} was revoked; it stays revoked. Create a key with another admin key, or choose a new value.";
            }

            return;
        }

        var active = (await keys.ListAsync(null, ct)).Count(k => k.RevokedAt is null);
        if (active == 0)
        {
            var (_, key) = await keys.CreateAsync(environment, "first owner key", ApiKeyRoles.Owner, ct: ct);
            Report.NewApiKey = key;
            LogFirstKeyCreated(logger, environment);
        }
        else
        {
            Report.ApiKeyNote = $"{active} API key(s) active; create more with POST /v1/admin/api-keys.";
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Created the first owner API key for environment {Environment}; it is shown once in the banner")]
    private static partial void LogFirstKeyCreated(ILogger logger, string environment);
}

/// <summary>A start-up failure with a message that says what to fix; printed without a stack trace.</summary>
internal sealed class StartupException(string message) : Exception(message);
