using System.Net;
using System.Text.Json;
using AdoBridge.Telemetry;

namespace AdoBridge.AzureDevOps;

/// <summary>Who a credential belongs to, from `_apis/profile/profiles/me`.</summary>
internal sealed record DevOpsProfile(string Id, string DisplayName, string? Email);

/// <summary>An organisation the user belongs to, from `_apis/accounts`.</summary>
internal sealed record DevOpsOrganization(string Name, string Id);

/// <summary>Azure DevOps said no, or could not be reached. `Kind` says which, `Message` keeps Azure DevOps' own words.</summary>
internal sealed class DevOpsException(DevOpsFailure kind, int status, string message, string? typeKey = null) : Exception(message)
{
    public DevOpsFailure Kind { get; } = kind;
    public int Status { get; } = status;
    public string? TypeKey { get; } = typeKey;
}

internal enum DevOpsFailure { Unauthorized, Forbidden, NotFound, Unavailable, Other }

/// <summary>The few Azure DevOps calls the connect flows need: who is this, which organisations, may it reach this one.</summary>
internal sealed class DevOpsClient(IHttpClientFactory http, AzureDevOpsHosts hosts, ApiVersionCeilings ceilings)
{
    public const string HttpClientName = "azure-devops";
    private const string ApiVersion = "7.1";

    public async Task<DevOpsProfile> GetProfileAsync(DevOpsCredential credential, CancellationToken ct)
    {
        var json = await GetAsync($"{AzureDevOpsHosts.VsspsApp}/_apis/profile/profiles/me?api-version={ApiVersion}", credential, ct);
        return new DevOpsProfile(
            json.GetProperty("id").GetString()!,
            json.TryGetProperty("displayName", out var name) ? name.GetString() ?? string.Empty : string.Empty,
            json.TryGetProperty("emailAddress", out var email) ? email.GetString() : null);
    }

    public async Task<IReadOnlyList<DevOpsOrganization>> ListOrganizationsAsync(DevOpsCredential credential, string memberId, CancellationToken ct)
    {
        var json = await GetAsync($"{AzureDevOpsHosts.VsspsApp}/_apis/accounts?memberId={Uri.EscapeDataString(memberId)}&api-version={ApiVersion}", credential, ct);
        var list = json.ValueKind == JsonValueKind.Array ? json : json.GetProperty("value");
        return list.EnumerateArray()
            .Select(a => new DevOpsOrganization(a.GetProperty("accountName").GetString()!, a.TryGetProperty("accountId", out var id) ? id.GetString() ?? string.Empty : string.Empty))
            .OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Proves the credential reaches the organisation (or Server collection) and returns the authenticated user's id and name.</summary>
    public async Task<(string Id, string Name)> GetConnectionDataAsync(string organizationUrl, DevOpsCredential credential, CancellationToken ct)
    {
        var json = await GetVersionedAsync(organizationUrl, "_apis/connectionData?", ApiVersion + "-preview", credential, ct);
        var user = json.GetProperty("authenticatedUser");
        var name = user.TryGetProperty("providerDisplayName", out var n) ? n.GetString() : null;
        return (user.GetProperty("id").GetString()!, name ?? string.Empty);
    }

    /// <summary>Reads one project, which needs read access to projects (vso.project); Azure DevOps names a missing scope in its answer.</summary>
    public async Task CheckProjectsAsync(string organizationUrl, DevOpsCredential credential, CancellationToken ct)
        => await GetVersionedAsync(organizationUrl, "_apis/projects?$top=1&", ApiVersion, credential, ct);

    /// <summary>
    /// A GET on an organisation or Server collection. An older Server refuses 7.1 and names the newest version it
    /// supports: that is asked for once more, and kept for the collection (shared with the typed actions).
    /// </summary>
    private async Task<JsonElement> GetVersionedAsync(string organizationUrl, string pathAndQuery, string apiVersion, DevOpsCredential credential, CancellationToken ct)
    {
        var baseUrl = organizationUrl.TrimEnd('/');
        var asked = ceilings.For(baseUrl, apiVersion);
        try
        {
            return await GetAsync($"{baseUrl}/{pathAndQuery}api-version={asked}", credential, ct);
        }
        catch (DevOpsException e) when (e.TypeKey == ApiVersionCeilings.OutOfRangeTypeKey && ceilings.Learn(baseUrl, asked, e.Message))
        {
            return await GetAsync($"{baseUrl}/{pathAndQuery}api-version={ceilings.For(baseUrl, apiVersion)}", credential, ct);
        }
    }

    private async Task<JsonElement> GetAsync(string realUrl, DevOpsCredential credential, CancellationToken ct)
    {
        var url = hosts.Resolve(realUrl);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = credential.Header();
        request.Headers.TryAddWithoutValidation("X-TFS-FedAuthRedirect", "Suppress");
        request.Headers.Accept.ParseAdd("application/json");
        using var client = http.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, ct);
            TelemetryInstruments.RateLimits(response);
        }
        catch (HttpRequestException e)
        {
            throw new DevOpsException(DevOpsFailure.Unavailable, 0, $"Azure DevOps at {url.Host} could not be reached ({e.HttpRequestError}).");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DevOpsException(DevOpsFailure.Unavailable, 0, $"Azure DevOps at {url.Host} did not answer in time.");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            var isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

            // A 203 with an HTML sign-in page is how Azure DevOps says "not signed in" to clients that did not suppress the redirect.
            if (response.StatusCode == HttpStatusCode.NonAuthoritativeInformation || (response.IsSuccessStatusCode && !isJson))
            {
                throw new DevOpsException(DevOpsFailure.Unauthorized, 203, "Azure DevOps answered with a sign-in page: the credential was not accepted.");
            }

            if (response.IsSuccessStatusCode)
            {
                // Cloned out of a disposed document: the element outlives the document's pooled buffers.
                using var document = JsonDocument.Parse(body);
                return document.RootElement.Clone();
            }

            var (message, typeKey) = ErrorOf(body, isJson);
            var kind = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => DevOpsFailure.Unauthorized,
                HttpStatusCode.Forbidden => DevOpsFailure.Forbidden,
                HttpStatusCode.NotFound => DevOpsFailure.NotFound,
                >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests => DevOpsFailure.Unavailable,
                _ => DevOpsFailure.Other,
            };
            throw new DevOpsException(kind, (int)response.StatusCode, message ?? $"Azure DevOps answered {(int)response.StatusCode}.", typeKey);
        }
    }

    private static (string? Message, string? TypeKey) ErrorOf(string body, bool isJson)
    {
        if (!isJson)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var json = document.RootElement;
            return (json.TryGetProperty("message", out var m) ? m.GetString() : null, json.TryGetProperty("typeKey", out var t) ? t.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
