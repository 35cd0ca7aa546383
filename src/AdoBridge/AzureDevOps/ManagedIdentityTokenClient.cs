using System.Globalization;
using System.Text.Json;
using AdoBridge.Apps;

namespace AdoBridge.AzureDevOps;

/// <summary>
/// Gets app-only Azure DevOps tokens from the host's managed identity (see <see cref="ManagedIdentityEndpoint"/> for where).
/// The token is not cached here: the token vault stores it and asks again before it expires, as for client credentials.
/// </summary>
internal sealed class ManagedIdentityTokenClient(IHttpClientFactory http, AzureDevOpsHosts hosts, IConfiguration configuration, TimeProvider clock)
{
    public const string Refused = "managed_identity_refused";

    /// <summary>Off Azure, nothing answers at the IMDS address and a connection attempt would hang until the client's timeout.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <param name="clientId">A user-assigned identity's client id, or null for the system-assigned identity.</param>
    public async Task<TokenResult> GetTokenAsync(string? clientId, CancellationToken ct)
    {
        var endpoint = ManagedIdentityEndpoint.Resolve(configuration, hosts);
        var query = $"api-version={endpoint.ApiVersion}&resource={AppValidator.AzureDevOpsResourceId}"
            + (string.IsNullOrEmpty(clientId) ? string.Empty : "&client_id=" + Uri.EscapeDataString(clientId));
        var url = new UriBuilder(endpoint.Url) { Query = string.IsNullOrEmpty(endpoint.Url.Query) ? query : endpoint.Url.Query.TrimStart('?') + "&" + query }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation(endpoint.HeaderName, endpoint.HeaderValue);

        using var client = http.CreateClient(IdentityClient.HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, timeout.Token);
        }
        catch (HttpRequestException e)
        {
            throw new IdentityUnavailableException($"No managed identity endpoint answered at {url.Host} ({endpoint.Style}, {e.HttpRequestError}).", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new IdentityUnavailableException($"The managed identity endpoint at {url.Host} ({endpoint.Style}) did not answer within {Timeout.TotalSeconds:0} s.", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if ((int)response.StatusCode >= 500 || (int)response.StatusCode == 429)
            {
                throw new IdentityUnavailableException($"The managed identity endpoint at {url.Host} answered {(int)response.StatusCode}.");
            }

            JsonElement json;
            try
            {
                using var document = JsonDocument.Parse(body);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new IdentityException((int)response.StatusCode, Refused, null, $"The managed identity endpoint ({endpoint.Style}) answered {(int)response.StatusCode} without JSON.");
            }

            if (!response.IsSuccessStatusCode)
            {
                // IMDS answers OAuth-style {error, error_description}; App Service answers {statusCode, message}.
                var reason = Text(json, "error_description") ?? Text(json, "message") ?? Text(json, "error") ?? $"HTTP {(int)response.StatusCode}";
                throw new IdentityException((int)response.StatusCode, Refused, null, $"The managed identity endpoint ({endpoint.Style}) refused the token request ({(int)response.StatusCode}): {reason}");
            }

            var accessToken = Text(json, "access_token") ?? throw new IdentityException(200, "invalid_response", null, "The managed identity endpoint's answer has no access_token.");
            return new TokenResult(accessToken, null, ExpiresAt(json), null);
        }
    }

    /// <summary>Both shapes send expires_on in Unix seconds (IMDS as a string); expires_in is the fallback.</summary>
    private DateTimeOffset ExpiresAt(JsonElement json)
    {
        if (Seconds(json, "expires_on") is { } on)
        {
            return DateTimeOffset.FromUnixTimeSeconds(on);
        }

        return clock.GetUtcNow().AddSeconds(Seconds(json, "expires_in") ?? 3600);
    }

    private static long? Seconds(JsonElement json, string name)
    {
        if (!json.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    private static string? Text(JsonElement json, string name)
        => json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
