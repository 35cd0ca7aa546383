using System.Text.Json;
using AdoBridge.Hosting;
using AdoBridge.Security;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Apps;

/// <summary>An app as AdoBridge uses it, whatever its source, with the findings that are not errors.</summary>
internal sealed record ResolvedApp(string Name, string Source, AppDefinition Definition, IReadOnlyList<ConfigIssue> Issues, string RedirectUri, DateTimeOffset? UpdatedAt)
{
    public const string FromConfiguration = "configuration";
    public const string FromApi = "api";
    public const string FromSandbox = "sandbox";

    public string Type => Definition.Type!;

    public bool IsValid => !Issues.Any(i => i.IsError);
}

/// <summary>Thrown when a change to an app is refused; carries every finding so the caller can show them all at once.</summary>
internal sealed class AppValidationException(IReadOnlyList<ConfigIssue> issues) : Exception("The app's settings are not valid.")
{
    public IReadOnlyList<ConfigIssue> Issues { get; } = issues;
}

/// <summary>
/// The apps in force: those of the configuration (appsettings.json, the `ADOBRIDGE_CONFIG` file, environment variables;
/// read afresh on every change) and those stored through the admin API. Configuration wins on a name clash and is read-only here.
/// </summary>
internal sealed class AppRegistry(
    IConfiguration configuration,
    IDbContextFactory<AdoBridgeDbContext> contexts,
    SecretProtector protector,
    PublicUrls urls,
    SandboxMode sandbox,
    TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Validation context; only the sandbox app itself may use plain http towards the emulator.</summary>
    public AppValidationContext ValidationContextFor(bool isSandboxApp) => new(urls.BaseUrl, isSandboxApp, clock.GetUtcNow(), sandbox.Enabled);

    /// <summary>The apps named in configuration, each validated; a binding failure (unknown or mistyped setting) is an error finding too.</summary>
    public IReadOnlyList<ResolvedApp> FromConfigurationSection()
    {
        var result = new List<ResolvedApp>();
        foreach (var section in configuration.GetSection("Apps").GetChildren())
        {
            var definition = new AppDefinition();
            List<ConfigIssue> issues;
            try
            {
                section.Bind(definition, o => o.ErrorOnUnknownConfiguration = true);
                issues = AppValidator.Validate(definition, ValidationContextFor(false));
                Normalize(definition);
            }
            catch (InvalidOperationException e)
            {
                // The binder names the unknown key or the value it could not convert; it does not echo values of known keys.
                issues = [ConfigIssue.Error("(settings)", "invalid_setting", e.Message, "Check the setting names against the README's configuration reference.")];
            }

            if (!AppValidator.IsValidName(section.Key))
            {
                issues.Add(ConfigIssue.Error("(name)", "invalid_app_name", $"'{section.Key}' is not a valid app name.", "Use lowercase letters, digits and '-' (e.g. 'entra-prod')."));
            }

            result.Add(new ResolvedApp(section.Key, ResolvedApp.FromConfiguration, definition, issues.Select(i => i with { Field = $"Apps:{section.Key}:{i.Field}" }).ToList(), RedirectFor(definition), null));
        }

        return result;
    }

    public async Task<IReadOnlyList<ResolvedApp>> ListAsync(CancellationToken ct = default)
    {
        var fromConfig = FromConfigurationSection();
        var names = fromConfig.Select(a => a.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var stored = await db.Apps.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);
        return fromConfig
            .Concat(stored.Where(s => !names.Contains(s.Name) && (sandbox.Enabled || !s.IsSandbox)).Select(Resolve))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<ResolvedApp?> GetAsync(string name, CancellationToken ct = default)
        => (await ListAsync(ct)).FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private volatile CachedApps? cached;

    private sealed record CachedApps(IReadOnlyList<ResolvedApp> Apps, DateTimeOffset Until);

    /// <summary>
    /// For hot paths (token renewal, the proxy): the apps as read at most a few seconds ago, so thousands of renewals do not
    /// each re-read and re-open every app. Changes through this instance's admin API are seen at once.
    /// </summary>
    public async Task<ResolvedApp?> GetCachedAsync(string name, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var current = cached;
        if (current is null || current.Until < now)
        {
            current = new CachedApps(await ListAsync(ct), now + TimeSpan.FromSeconds(5));
            cached = current;
        }

        return current.Apps.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Creates or replaces an API-managed app. Secrets given without a value keep the value stored under the same id.</summary>
    public async Task<(ResolvedApp App, bool Created)> PutAsync(string name, AppDefinition definition, bool isSandbox = false, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var existing = await db.Apps.FirstOrDefaultAsync(a => a.Name == name, ct);
        var merged = definition.Clone();
        if (existing is not null)
        {
            var stored = UnsealSecrets(existing);
            foreach (var secret in merged.ClientSecrets ?? [])
            {
                if (string.IsNullOrEmpty(secret.Value) && secret.Id is not null && stored.TryGetValue(secret.Id, out var kept))
                {
                    secret.Value = kept;
                }
            }
        }

        var issues = AppValidator.Validate(merged, ValidationContextFor(isSandbox));
        if (issues.Any(i => i.IsError))
        {
            throw new AppValidationException(issues);
        }

        Normalize(merged);

        var now = clock.GetUtcNow();
        var row = existing ?? new AppEntity { Name = name, Type = merged.Type!, Settings = "{}", CreatedAt = now };
        row.Type = merged.Type!;
        row.IsSandbox = isSandbox;
        row.Settings = JsonSerializer.Serialize(WithoutSecretValues(merged), Json);
        var secrets = (merged.ClientSecrets ?? []).ToDictionary(s => s.Id!, s => s.Value!, StringComparer.Ordinal);
        row.ProtectedSecrets = secrets.Count == 0 ? null : protector.Protect(JsonSerializer.Serialize(secrets, Json), SecretPurpose(name));
        row.UpdatedAt = now;
        if (existing is null)
        {
            db.Apps.Add(row);
        }
        else
        {
            row.Version++;
        }

        await db.SaveChangesAsync(ct);
        cached = null;
        return (Resolve(row), existing is null);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        cached = null;
        return await db.Apps.Where(a => a.Name == name).ExecuteDeleteAsync(ct) > 0;
    }

    public async Task<AppEntity?> FindStoredAsync(string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Apps.AsNoTracking().FirstOrDefaultAsync(a => a.Name == name, ct);
    }

    private ResolvedApp Resolve(AppEntity row)
    {
        var definition = JsonSerializer.Deserialize<AppDefinition>(row.Settings, Json) ?? new AppDefinition();
        var secrets = UnsealSecrets(row);
        foreach (var secret in definition.ClientSecrets ?? [])
        {
            secret.Value = secrets.GetValueOrDefault(secret.Id ?? string.Empty);
        }

        return new ResolvedApp(row.Name, row.IsSandbox ? ResolvedApp.FromSandbox : ResolvedApp.FromApi, definition,
            AppValidator.Validate(definition, ValidationContextFor(row.IsSandbox)), RedirectFor(definition), row.UpdatedAt);
    }

    private Dictionary<string, string> UnsealSecrets(AppEntity row)
        => row.ProtectedSecrets is null
            ? []
            : JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(row.ProtectedSecrets, SecretPurpose(row.Name)), Json) ?? [];

    private string RedirectFor(AppDefinition definition) => PublicUrls.RedirectUri(definition.PublicBaseUrl ?? urls.BaseUrl);

    private static string SecretPurpose(string appName) => $"app:{appName}:client-secrets";

    /// <summary>One shape for every source: lowercase type, secrets as a named list, no trailing slash on URLs.</summary>
    internal static void Normalize(AppDefinition app)
    {
        app.Type = app.Type?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(app.ClientSecret))
        {
            app.ClientSecrets = [new ClientSecretDefinition { Id = "default", Value = app.ClientSecret }, .. app.ClientSecrets ?? []];
            app.ClientSecret = null;
        }

        if (app.ClientSecrets is { Count: 0 })
        {
            app.ClientSecrets = null;
        }

        for (var i = 0; i < (app.ClientSecrets?.Count ?? 0); i++)
        {
            app.ClientSecrets![i].Id ??= (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        app.PublicBaseUrl = app.PublicBaseUrl?.Trim().TrimEnd('/');
        app.AuthorityHost = app.AuthorityHost?.TrimEnd('/');
        if (app.Type is AppTypes.Entra && (app.Scopes is null || app.Scopes.Count == 0))
        {
            app.Scopes = ["user_impersonation"];
        }
    }

    private static AppDefinition WithoutSecretValues(AppDefinition app)
    {
        var copy = app.Clone();
        foreach (var secret in copy.ClientSecrets ?? [])
        {
            secret.Value = null;
        }

        return copy;
    }
}
