using System.Globalization;
using System.Net;
using System.Text.Json;
using AdoBridge.Apps;

namespace AdoBridge.AzureDevOps;

/// <summary>Tokens from a token endpoint; `RefreshToken` is null when the endpoint issued none (client credentials).</summary>
internal sealed record TokenResult(string AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt, string? Scope);

/// <summary>An answer from the identity provider that says no, with Entra's AADSTS code when it gave one.</summary>
internal sealed class IdentityException(int status, string error, string? aadstsCode, string description)
    : Exception($"{aadstsCode ?? error}: {FirstLine(description)}")
{
    public int Status { get; } = status;
    public string Error { get; } = error;
    public string? AadstsCode { get; } = aadstsCode;
    public string Description { get; } = FirstLine(description);

    /// <summary>The grant is gone (expired by inactivity, revoked, consent withdrawn, legacy 401): only the user can fix it.</summary>
    public bool NeedsUser => Error == "invalid_grant" || AadstsCode is "AADSTS700082" or "AADSTS50173" or "AADSTS65001" or "AADSTS70008" or "AADSTS54005"
        || (Status == 401 && Error == "legacy_unauthorized");

    /// <summary>The app's own credentials are refused: the operator must fix the app, not the user.</summary>
    public bool AppMisconfigured => Error is "invalid_client" or ManagedIdentityTokenClient.Refused or FederatedTokenFile.Unreadable
        || AadstsCode is "AADSTS7000215" or "AADSTS7000222" or "AADSTS700016" or "AADSTS90002" or "AADSTS7000218"
        or "AADSTS700211" or "AADSTS700213" or "AADSTS70021" or "AADSTS700024" or "AADSTS50027";

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

/// <summary>The identity provider was unreachable or failed (network, timeout, 5xx): worth retrying later.</summary>
internal sealed class IdentityUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Talks to the token endpoints: Microsoft identity platform v2 for Entra apps, app.vssps.visualstudio.com for legacy apps,
/// the host's managed-identity endpoint for service principals that use one.</summary>
internal sealed class IdentityClient(IHttpClientFactory http, AzureDevOpsHosts hosts, TimeProvider clock, IConfiguration configuration)
{
    // Made here rather than registered: it is a part of this client, and every caller reaches it through ClientCredentialsAsync.
    private readonly ManagedIdentityTokenClient _managedIdentity = new(http, hosts, configuration, clock);

    public const string HttpClientName = "identity";
    public const string ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public const string LegacyAssertionType = ClientAssertionType;
    public const string LegacyGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static string Authority(ResolvedApp app, string? tenantOverride = null)
        => $"{(app.Definition.AuthorityHost ?? AppValidator.DefaultAuthorityHost).TrimEnd('/')}/{tenantOverride ?? app.Definition.Tenant}";

    /// <summary>Space-separated Entra scopes for the Azure DevOps resource, plus offline_access for a refresh token.</summary>
    public static string EntraScopes(ResolvedApp app)
    {
        var scopes = (app.Definition.Scopes ?? ["user_impersonation"])
            .Where(s => s is not ("offline_access" or "openid" or "profile" or "email"))
            .Select(s => s.Contains('/', StringComparison.Ordinal) ? s : $"{AppValidator.AzureDevOpsResourceId}/{s}");
        return string.Join(' ', scopes.Append("offline_access"));
    }

    public Task<TokenResult> ExchangeCodeAsync(ResolvedApp app, string code, string redirectUri, string? codeVerifier, CancellationToken ct)
        => app.Type == AppTypes.Legacy
            ? WithEachSecretAsync(app, secret => PostAsync(LegacyTokenUrl(), new()
            {
                ["client_assertion_type"] = LegacyAssertionType,
                ["client_assertion"] = secret,
                ["grant_type"] = LegacyGrantType,
                ["assertion"] = code,
                ["redirect_uri"] = redirectUri,
            }, legacy: true, ct))
            : WithEachSecretAsync(app, secret => PostAsync(EntraTokenUrl(app), new()
            {
                ["client_id"] = app.Definition.ClientId!,
                ["client_secret"] = secret,
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = redirectUri,
                ["code_verifier"] = codeVerifier,
                ["scope"] = EntraScopes(app),
            }, legacy: false, ct));

    public Task<TokenResult> RefreshAsync(ResolvedApp app, string refreshToken, string redirectUri, CancellationToken ct)
        => app.Type == AppTypes.Legacy
            ? WithEachSecretAsync(app, secret => PostAsync(LegacyTokenUrl(), new()
            {
                ["client_assertion_type"] = LegacyAssertionType,
                ["client_assertion"] = secret,
                ["grant_type"] = "refresh_token",
                ["assertion"] = refreshToken,
                ["redirect_uri"] = redirectUri,
            }, legacy: true, ct))
            : WithEachSecretAsync(app, secret => PostAsync(EntraTokenUrl(app), new()
            {
                ["client_id"] = app.Definition.ClientId!,
                ["client_secret"] = secret,
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["scope"] = EntraScopes(app),
            }, legacy: false, ct));

    /// <summary>An app-only token for the app's service principal, with whichever credential the app is set up with.</summary>
    public Task<TokenResult> ClientCredentialsAsync(ResolvedApp app, CancellationToken ct)
        => AppCredential.KindOf(app.Definition) switch
        {
            AppCredentialKind.ManagedIdentity => _managedIdentity.GetTokenAsync(app.Definition.ManagedIdentityClientId, ct),
            AppCredentialKind.FederatedToken => FederatedClientCredentialsAsync(app, ct),
            _ => WithEachSecretAsync(app, secret => PostAsync(EntraTokenUrl(app), new()
            {
                ["client_id"] = app.Definition.ClientId!,
                ["client_secret"] = secret,
                ["grant_type"] = "client_credentials",
                ["scope"] = $"{AppValidator.AzureDevOpsResourceId}/.default",
            }, legacy: false, ct)),
        };

    /// <summary>Workload identity federation: the token another issuer (a Kubernetes cluster, a CI system) wrote to a file is the client assertion.</summary>
    private async Task<TokenResult> FederatedClientCredentialsAsync(ResolvedApp app, CancellationToken ct)
    {
        var assertion = await FederatedTokenFile.ReadAsync(app.Definition.FederatedTokenFile!, ct);
        return await PostAsync(EntraTokenUrl(app), new()
        {
            ["client_id"] = app.Definition.ClientId!,
            ["client_assertion_type"] = ClientAssertionType,
            ["client_assertion"] = assertion,
            ["grant_type"] = "client_credentials",
            ["scope"] = $"{AppValidator.AzureDevOpsResourceId}/.default",
        }, legacy: false, ct);
    }

    /// <summary>The usable secrets, newest first: expired ones are skipped, and a refused one hands over to the next (rotation).</summary>
    internal static IReadOnlyList<string> UsableSecrets(ResolvedApp app, DateTimeOffset now)
        => (app.Definition.ClientSecrets ?? [])
            .Where(s => !string.IsNullOrEmpty(s.Value) && (s.ExpiresAt is null || s.ExpiresAt > now))
            .Reverse()
            .Select(s => s.Value!)
            .ToList();

    private async Task<TokenResult> WithEachSecretAsync(ResolvedApp app, Func<string, Task<TokenResult>> call)
    {
        var secrets = UsableSecrets(app, clock.GetUtcNow());
        if (secrets.Count == 0)
        {
            throw new IdentityException(401, "invalid_client", null, $"App '{app.Name}' has no unexpired client secret. Add a new secret to the app.");
        }

        for (var i = 0; ; i++)
        {
            try
            {
                return await call(secrets[i]);
            }
            catch (IdentityException e) when (e.AppMisconfigured && i + 1 < secrets.Count)
            {
                // Try the next secret: during a rotation one of them may already be gone in the portal.
            }
        }
    }

    private Uri EntraTokenUrl(ResolvedApp app) => hosts.Resolve(Authority(app) + "/oauth2/v2.0/token");

    private Uri LegacyTokenUrl() => hosts.Resolve(AzureDevOpsHosts.VsspsApp + "/oauth2/token");

    private async Task<TokenResult> PostAsync(Uri url, Dictionary<string, string?> form, bool legacy, CancellationToken ct)
    {
        using var client = http.CreateClient(HttpClientName);
        using var content = new FormUrlEncodedContent(form.Where(kv => kv.Value is not null).Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value!)));
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsync(url, content, ct);
        }
        catch (HttpRequestException e)
        {
            throw new IdentityUnavailableException($"The identity provider at {url.Host} could not be reached ({e.HttpRequestError}).", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new IdentityUnavailableException($"The identity provider at {url.Host} did not answer in time.", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new IdentityUnavailableException($"The identity provider at {url.Host} answered {(int)response.StatusCode}.");
            }

            JsonElement json;
            try
            {
                json = JsonDocument.Parse(body).RootElement.Clone();
            }
            catch (JsonException)
            {
                if (legacy && response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    throw new IdentityException(401, "legacy_unauthorized", null, "Azure DevOps refused the grant (401): the user revoked access or the token expired.");
                }

                throw new IdentityException((int)response.StatusCode, "invalid_response", null, $"The identity provider at {url.Host} answered {(int)response.StatusCode} without JSON.");
            }

            if (!response.IsSuccessStatusCode)
            {
                var error = Text(json, "error") ?? (legacy && response.StatusCode == HttpStatusCode.Unauthorized ? "legacy_unauthorized" : "error");
                var description = Text(json, "error_description") ?? Text(json, "message") ?? $"HTTP {(int)response.StatusCode}";
                string? code = null;
                if (json.TryGetProperty("error_codes", out var codes) && codes.ValueKind == JsonValueKind.Array && codes.GetArrayLength() > 0)
                {
                    code = "AADSTS" + codes[0].GetRawText();
                }
                else if (description.StartsWith("AADSTS", StringComparison.Ordinal))
                {
                    code = description.Split(':', 2)[0];
                }

                if (legacy && response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    error = "legacy_unauthorized";
                }

                throw new IdentityException((int)response.StatusCode, error, code, description);
            }

            var accessToken = Text(json, "access_token") ?? throw new IdentityException(200, "invalid_response", null, "The token response has no access_token.");
            var expiresIn = json.TryGetProperty("expires_in", out var e) ? e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : 3600;
            return new TokenResult(accessToken, Text(json, "refresh_token"), clock.GetUtcNow().AddSeconds(expiresIn), Text(json, "scope"));
        }
    }

    private static string? Text(JsonElement json, string name)
        => json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
