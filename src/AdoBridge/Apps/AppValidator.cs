using System.Text.RegularExpressions;

namespace AdoBridge.Apps;

/// <summary>
/// Checks an app the way an experienced admin would, catching the mistakes setup guides warn about: a secret ID pasted
/// for the secret value, a stray newline, a tenant or client id that is not one, http redirect URIs, expiring secrets.
/// </summary>
internal static partial class AppValidator
{
    public const string AzureDevOpsResourceId = "499b84ac-1321-427f-aa17-267ca6975798";
    public const string DefaultAuthorityHost = "https://login.microsoftonline.com";
    internal static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public static List<ConfigIssue> Validate(AppDefinition app, AppValidationContext context)
    {
        var issues = new List<ConfigIssue>();
        var type = app.Type?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(type) || !AppTypes.All.Contains(type))
        {
            issues.Add(ConfigIssue.Error("type", "invalid_type",
                string.IsNullOrEmpty(type) ? "The app type is missing." : $"'{app.Type}' is not an app type.",
                "Set type to one of: entra (recommended), service-principal, pat, legacy."));
            return issues;
        }

        if (Problems.InputText.Problem(app.DisplayName, "displayName", 200) is { } displayName)
        {
            issues.Add(ConfigIssue.Error("displayName", "invalid_display_name", displayName, "Use a short product name on one line; end users see it on the connect page."));
        }

        var usesEntra = type is AppTypes.Entra or AppTypes.ServicePrincipal;
        if (usesEntra)
        {
            CheckTenant(app, type, issues);
            CheckAuthorityHost(app, issues);
        }

        if (type != AppTypes.Pat)
        {
            CheckClientId(app, type, issues);
            CheckSecrets(app, type, context, issues);
            CheckKeyless(app, type, issues);
        }

        if (type is AppTypes.Entra or AppTypes.Legacy)
        {
            CheckScopes(app, type, issues);
            CheckPublicBaseUrl(app, type, context, issues);
        }

        CheckServer(app, type, issues);
        CheckReturnUrls(app, context, issues);

        if (type == AppTypes.Legacy)
        {
            issues.Add(ConfigIssue.Warning("type", "legacy_app_retiring",
                "Azure DevOps OAuth (legacy) apps are being retired: Microsoft stopped new registrations in 2025 and is retiring the platform in 2026.",
                "Register an app in Microsoft Entra ID, add it as type 'entra', and reconnect users through it (GET /v1/admin/migration lists who still uses this app)."));
        }

        return issues;
    }

    private static void CheckTenant(AppDefinition app, string type, List<ConfigIssue> issues)
    {
        var tenant = app.Tenant;
        if (string.IsNullOrEmpty(tenant))
        {
            issues.Add(ConfigIssue.Error("tenant", "missing_tenant", "The tenant is missing.",
                "Copy the Directory (tenant) ID from the app registration's Overview page, or use 'organizations' for a multi-tenant app."));
            return;
        }

        if (tenant != tenant.Trim())
        {
            issues.Add(ConfigIssue.Error("tenant", "whitespace", "The tenant has leading or trailing whitespace.", "Remove the spaces or line break around the value."));
            return;
        }

        var isGuid = Guid.TryParseExact(tenant, "D", out _);
        var lower = tenant.ToLowerInvariant();
        if (lower == "consumers")
        {
            issues.Add(ConfigIssue.Error("tenant", "invalid_tenant", "'consumers' signs in personal Microsoft accounts, which Entra apps cannot use for Azure DevOps.",
                "Use your tenant ID, or 'organizations' to accept work accounts from any tenant."));
        }
        else if (type == AppTypes.ServicePrincipal && lower is "common" or "organizations")
        {
            issues.Add(ConfigIssue.Error("tenant", "invalid_tenant", $"A service principal signs in to one tenant; '{tenant}' names none.",
                "Use the Directory (tenant) ID of the tenant your Azure DevOps organisation is connected to."));
        }
        else if (!isGuid && lower is not ("common" or "organizations") && !DomainPattern().IsMatch(tenant))
        {
            issues.Add(ConfigIssue.Error("tenant", "invalid_tenant", "The tenant is neither a tenant ID (a GUID), a verified domain, 'organizations' nor 'common'.",
                "Copy the Directory (tenant) ID from the app registration's Overview page (e.g. 72f9…-…), or use 'organizations'."));
        }
    }

    private static void CheckAuthorityHost(AppDefinition app, List<ConfigIssue> issues)
    {
        if (app.AuthorityHost is null)
        {
            return;
        }

        if (!Uri.TryCreate(app.AuthorityHost, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            issues.Add(ConfigIssue.Error("authorityHost", "invalid_authority_host", $"'{Shorten(app.AuthorityHost)}' is not an https URL.",
                "Leave it empty for the public cloud, or use your cloud's login host, e.g. https://login.microsoftonline.us (US Government) or https://login.chinacloudapi.cn (China)."));
        }
        else if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            issues.Add(ConfigIssue.Error("authorityHost", "invalid_authority_host", "The authority host must not carry a query or fragment.", "Give the host only, e.g. https://login.microsoftonline.com."));
        }
    }

    private static void CheckClientId(AppDefinition app, string type, List<ConfigIssue> issues)
    {
        var clientId = app.ClientId;
        var label = type == AppTypes.Legacy ? "App ID" : "Application (client) ID";
        if (string.IsNullOrEmpty(clientId))
        {
            issues.Add(ConfigIssue.Error("clientId", "missing_client_id", $"The {label} is missing.", $"Copy the {label} from the app registration's overview page."));
        }
        else if (clientId != clientId.Trim())
        {
            issues.Add(ConfigIssue.Error("clientId", "whitespace", "The client id has leading or trailing whitespace.", "Remove the spaces or line break around the value."));
        }
        else if (!Guid.TryParseExact(clientId, "D", out _))
        {
            issues.Add(ConfigIssue.Error("clientId", "invalid_client_id", $"The client id is not a GUID, so it is not an {label}.",
                $"Copy the {label} (a GUID like 00001111-aaaa-2222-bbbb-3333cccc4444) from the app registration's overview page; not the display name or object id."));
        }
    }

    private static void CheckSecrets(AppDefinition app, string type, AppValidationContext context, List<ConfigIssue> issues)
    {
        var secrets = app.AllSecrets.ToList();
        var keyless = type == AppTypes.ServicePrincipal && (app.UseManagedIdentity == true || !string.IsNullOrEmpty(app.FederatedTokenFile));
        if (secrets.Count == 0 && !keyless)
        {
            issues.Add(ConfigIssue.Error("clientSecrets", "missing_client_secret", "No client secret is configured.",
                type == AppTypes.ServicePrincipal
                    ? "Add a client secret (Certificates & secrets → New client secret → copy the Value), or set useManagedIdentity / federatedTokenFile."
                    : "Create a client secret (Certificates & secrets → New client secret) and copy its Value, shown only once."));
            return;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < secrets.Count; i++)
        {
            var secret = secrets[i];
            var field = string.IsNullOrEmpty(app.ClientSecret) ? $"clientSecrets[{i}]" : i == 0 ? "clientSecret" : $"clientSecrets[{i - 1}]";
            var valueField = field == "clientSecret" ? field : field + ".value";
            if (secret.Id is not null && !ids.Add(secret.Id))
            {
                issues.Add(ConfigIssue.Error(field + ".id", "duplicate_secret_id", $"Two secrets are named '{secret.Id}'.", "Give each secret its own id, e.g. the month it was created."));
            }

            var value = secret.Value;
            if (string.IsNullOrEmpty(value))
            {
                issues.Add(ConfigIssue.Error(valueField, "missing_client_secret", "The secret value is empty.",
                    "Paste the secret's Value (Certificates & secrets), or give the id of a secret already stored to keep it."));
            }
            else if (value.IndexOfAny(['\r', '\n']) >= 0)
            {
                issues.Add(ConfigIssue.Error(valueField, "secret_has_line_break",
                    value.TrimEnd('\r', '\n').IndexOfAny(['\r', '\n']) < 0 ? "The secret value ends with a line break." : "The secret value contains a line break.",
                    "Copy the value again without the trailing newline (a file written with `echo` adds one; use `printf '%s'`)."));
            }
            else if (value.Any(char.IsWhiteSpace))
            {
                issues.Add(ConfigIssue.Error(valueField, "secret_has_whitespace",
                    value.Trim().Length != value.Length ? "The secret value starts or ends with whitespace." : "The secret value contains whitespace.",
                    "Client secrets never contain spaces: copy the value again with the copy button in the portal."));
            }
            else if (Guid.TryParse(value, out _))
            {
                issues.Add(ConfigIssue.Error(valueField, "secret_looks_like_secret_id",
                    "This looks like the secret ID (a GUID), not the secret value.",
                    "In Certificates & secrets, copy the Value column, not Secret ID. The value is shown only right after the secret is created; if it is hidden, create a new secret."));
            }

            if (secret.ExpiresAt is { } expires)
            {
                if (expires <= context.Now)
                {
                    issues.Add(ConfigIssue.Warning(field + ".expiresAt", "secret_expired", $"This secret expired on {expires:yyyy-MM-dd}.",
                        "Create a new client secret, add it here, then remove the expired one."));
                }
                else if (expires - context.Now <= ExpiryWarning)
                {
                    issues.Add(ConfigIssue.Warning(field + ".expiresAt", "secret_expiring", $"This secret expires on {expires:yyyy-MM-dd}, in {(int)Math.Ceiling((expires - context.Now).TotalDays)} days.",
                        "Create a new client secret now and add it beside this one; AdoBridge uses the newest valid secret, so the switch needs no downtime."));
                }
            }
            else if (type == AppTypes.Legacy)
            {
                issues.Add(ConfigIssue.Warning(field + ".expiresAt", "secret_expiry_unknown", "Azure DevOps OAuth secrets expire 60 days after creation, and no expiry is set.",
                    "Set expiresAt to the date shown on the app's page so AdoBridge can warn before it expires."));
            }
        }
    }

    private static void CheckScopes(AppDefinition app, string type, List<ConfigIssue> issues)
    {
        var scopes = app.Scopes ?? [];
        if (type == AppTypes.Legacy)
        {
            if (scopes.Count == 0)
            {
                issues.Add(ConfigIssue.Error("scopes", "missing_scopes", "A legacy app needs the vso.* scopes it was registered with.", "List them, e.g. [\"vso.code\", \"vso.work_write\"], exactly as on the app's registration page."));
            }

            for (var i = 0; i < scopes.Count; i++)
            {
                if (!VsoScopePattern().IsMatch(scopes[i]))
                {
                    issues.Add(ConfigIssue.Error($"scopes[{i}]", "invalid_scope", $"'{Shorten(scopes[i])}' is not an Azure DevOps OAuth scope.", "Use vso.* scopes such as vso.code, vso.work_write, vso.profile."));
                }
            }

            return;
        }

        var hasDefault = false;
        for (var i = 0; i < scopes.Count; i++)
        {
            var scope = scopes[i];
            var shortName = scope.StartsWith(AzureDevOpsResourceId + "/", StringComparison.OrdinalIgnoreCase) ? scope[(AzureDevOpsResourceId.Length + 1)..] : scope;
            hasDefault |= shortName == ".default";
            if (shortName is "offline_access" or "openid" or "profile" or "email")
            {
                continue;
            }

            if (shortName.Contains('/', StringComparison.Ordinal) || shortName.Contains(':', StringComparison.Ordinal))
            {
                issues.Add(ConfigIssue.Error($"scopes[{i}]", "invalid_scope", $"'{Shorten(scope)}' is a scope of another resource; AdoBridge asks for Azure DevOps only.",
                    $"Use Azure DevOps scopes: user_impersonation, .default or vso.* (they are sent as {AzureDevOpsResourceId}/<scope>)."));
            }
            else if (shortName != ".default" && shortName != "user_impersonation" && !VsoScopePattern().IsMatch(shortName))
            {
                issues.Add(ConfigIssue.Error($"scopes[{i}]", "invalid_scope", $"'{Shorten(scope)}' is not an Azure DevOps scope.", "Use user_impersonation (default), .default, or vso.* scopes such as vso.code."));
            }
        }

        if (hasDefault && scopes.Count(s => !(s is "offline_access" or "openid" or "profile" or "email")) > 1)
        {
            issues.Add(ConfigIssue.Error("scopes", "invalid_scope", "'.default' cannot be combined with other Azure DevOps scopes.", "Use either .default alone or a list of individual scopes."));
        }
    }

    private static void CheckPublicBaseUrl(AppDefinition app, string type, AppValidationContext context, List<ConfigIssue> issues)
    {
        var field = app.PublicBaseUrl is null ? "AdoBridge:PublicBaseUrl" : "publicBaseUrl";
        var value = app.PublicBaseUrl ?? context.DefaultPublicBaseUrl;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            issues.Add(ConfigIssue.Error(field, "invalid_public_base_url", $"'{Shorten(value)}' is not an absolute http(s) URL.", "Set it to the URL at which browsers reach AdoBridge, e.g. https://adobridge.contoso.com."));
            return;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            issues.Add(ConfigIssue.Error(field, "invalid_public_base_url", "The public base URL must not carry a query or fragment.", "Give the scheme, host and optional path only."));
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !(context.Sandbox || IsLocalHost(uri)))
        {
            issues.Add(ConfigIssue.Error(field, "insecure_public_base_url", $"The redirect URI would be http://{uri.Authority}…, and Microsoft only accepts https redirect URIs outside localhost.",
                "Serve AdoBridge over https (e.g. behind a TLS-terminating proxy) and set the https URL here."));
        }
        else if (type == AppTypes.Legacy && uri.Scheme == Uri.UriSchemeHttp && !context.Sandbox && !context.ServerInSandbox)
        {
            issues.Add(ConfigIssue.Error(field, "insecure_public_base_url", "Azure DevOps OAuth callbacks must be https, even on localhost.", "Use https://localhost:<port> with a development certificate."));
        }
    }

    private static void CheckServer(AppDefinition app, string type, List<ConfigIssue> issues)
    {
        var server = app.AzureDevOps?.ServerUrl;
        if (string.IsNullOrEmpty(server))
        {
            return;
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            issues.Add(ConfigIssue.Error("azureDevOps.serverUrl", "invalid_server_url", $"'{Shorten(server)}' is not an absolute http(s) URL.", "Give the collection URL, e.g. https://ado.contoso.com/tfs/DefaultCollection."));
        }
        else if (uri.Host.Equals("dev.azure.com", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".visualstudio.com", StringComparison.OrdinalIgnoreCase))
        {
            issues.Add(ConfigIssue.Error("azureDevOps.serverUrl", "services_url_as_server", $"{uri.Host} is Azure DevOps Services, not a Server.", "Leave azureDevOps.serverUrl empty for Azure DevOps Services; users pick their organisation when they connect."));
        }
        else if (uri.AbsolutePath.Trim('/').Length == 0)
        {
            issues.Add(ConfigIssue.Error("azureDevOps.serverUrl", "missing_collection", "The Server URL names no collection.", "Add the collection to the path, e.g. https://ado.contoso.com/tfs/DefaultCollection."));
        }
        else if (type is AppTypes.Entra or AppTypes.Legacy or AppTypes.ServicePrincipal)
        {
            issues.Add(ConfigIssue.Error("type", "oauth_unsupported_on_server", "Azure DevOps Server does not support OAuth or Entra sign-in for integrations.", "Use type 'pat' with personal access tokens for Azure DevOps Server."));
        }
    }

    private static void CheckReturnUrls(AppDefinition app, AppValidationContext context, List<ConfigIssue> issues)
    {
        var urls = app.AllowedReturnUrls ?? [];
        for (var i = 0; i < urls.Count; i++)
        {
            if (!Uri.TryCreate(urls[i], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                issues.Add(ConfigIssue.Error($"allowedReturnUrls[{i}]", "invalid_return_url", $"'{Shorten(urls[i])}' is not an absolute http(s) URL.", "Give the product page users return to, e.g. https://app.contoso.com/integrations/azure-devops."));
            }
            else if (urls[i].Contains('*', StringComparison.Ordinal) || uri.Fragment.Length > 0)
            {
                issues.Add(ConfigIssue.Error($"allowedReturnUrls[{i}]", "invalid_return_url", "Return URLs are matched exactly by scheme, host, port and path prefix; wildcards and fragments are not allowed.", "List each return URL in full."));
            }
            else if (uri.Scheme == Uri.UriSchemeHttp && !(context.Sandbox || IsLocalHost(uri)))
            {
                issues.Add(ConfigIssue.Error($"allowedReturnUrls[{i}]", "insecure_return_url", "An http return URL would carry the connection id over plain text.", "Use https (http is allowed only for localhost)."));
            }
        }
    }

    internal static bool IsLocalHost(Uri uri) => uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);

    // Values echoed into messages are cut short: a mistyped field may hold a secret.
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..20] + "…";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(?=.{4,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^vso\.[a-z_]+$")]
    private static partial Regex VsoScopePattern();
}

/// <summary>What validation needs beyond the app itself.</summary>
/// <param name="Sandbox">The app is the sandbox app itself, which may use plain http towards the emulator.</param>
/// <param name="ServerInSandbox">AdoBridge runs against the emulator, which accepts http://localhost callbacks for legacy apps.</param>
internal sealed record AppValidationContext(string DefaultPublicBaseUrl, bool Sandbox, DateTimeOffset Now, bool ServerInSandbox = false);
