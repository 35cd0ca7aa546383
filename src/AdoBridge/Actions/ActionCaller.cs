using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using AdoBridge.ApiKeys;
using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.Problems;
using AdoBridge.Storage;
using AdoBridge.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>What a typed action got back from Azure DevOps: its JSON and continuation token, or problem details to answer with.</summary>
internal sealed record ActionAnswer(JsonElement Json, string? ContinuationToken, ProblemHttpResult? Problem);

/// <summary>The connection and organisation a typed action runs against, once both are checked.</summary>
internal sealed record ActionTarget(ConnectionEntity Connection, string Organization)
{
    /// <summary>Where the organisation's REST API lives: a Server connection's collection URL, else https://dev.azure.com/{org}.</summary>
    public string BaseUrl => Connection.ServerUrl is { } server ? server.TrimEnd('/') : AzureDevOpsHosts.OrganizationUrl(Uri.EscapeDataString(Organization));

    /// <summary>Where identities are read: the organisation's identity service (https://vssps.dev.azure.com/{org}), or a Server collection itself.</summary>
    public string IdentityUrl => Connection.ServerUrl is { } server ? server.TrimEnd('/') : $"https://vssps.dev.azure.com/{Uri.EscapeDataString(Organization)}";
}

/// <summary>
/// Runs typed actions' calls to Azure DevOps through <see cref="DevOpsSender"/> (so they share the proxy's credential and
/// retry rules) and turns Azure DevOps' error JSON into problem details that keep its `message` and `typeKey`.
/// </summary>
internal sealed class ActionCaller(ConnectionService connections, DevOpsSender sender, ApiVersionCeilings ceilings)
{
    public const string ApiVersion = "7.1";

    /// <summary>The caller's connection, or a 404 problem.</summary>
    public async Task<(ConnectionEntity? Connection, ProblemHttpResult? Problem)> ConnectionAsync(ClaimsPrincipal user, string connectionId, CancellationToken ct)
        => await connections.FindCachedAsync(user.EnvironmentId(), connectionId, ct) is { } connection
            ? (connection, null)
            : (null, Problem.NotFound("connection_not_found", $"There is no connection '{connectionId}' in this API key's environment."));

    /// <summary>The connection and the organisation as the connection spells it, or a 404 problem.</summary>
    public async Task<(ActionTarget? Target, ProblemHttpResult? Problem)> TargetAsync(ClaimsPrincipal user, string connectionId, string organization, CancellationToken ct)
    {
        var (connection, problem) = await ConnectionAsync(user, connectionId, ct);
        if (connection is null)
        {
            return (null, problem);
        }

        var held = OrganizationsOf(connection).FirstOrDefault(o => o.Name.Equals(organization, StringComparison.OrdinalIgnoreCase)).Name;
        return held is null
            ? (null, Problem.NotFound("organization_not_in_connection", $"Connection '{connectionId}' does not hold the organisation '{organization}'. List its organisations with GET /v1/connections/{connectionId}/organizations."))
            : (new ActionTarget(connection, held), null);
    }

    /// <summary>
    /// The organisations as actions name them, with their URLs. A Server connection holds one collection: it is named by the
    /// last segment of its URL (DefaultCollection), because a URL cannot be one path segment of an action route.
    /// </summary>
    public static IEnumerable<(string Name, string Url)> OrganizationsOf(ConnectionEntity connection)
        => connection.ServerUrl is { } server
            ? [(new Uri(server).AbsolutePath.TrimEnd('/').Split('/')[^1], server.TrimEnd('/'))]
            : ConnectionService.OrganizationsOf(connection).Select(o => (o, AzureDevOpsHosts.OrganizationUrl(o)));

    /// <summary>
    /// The Azure DevOps identity id the connection acts as (for votes and auto-complete): stored when it connected, or asked
    /// of connectionData for connections made before that was kept.
    /// </summary>
    public async Task<(string? Id, ProblemHttpResult? Problem)> IdentityAsync(ActionTarget target, CancellationToken ct)
    {
        if (Guid.TryParse(target.Connection.IdentityId, out _))
        {
            return (target.Connection.IdentityId, null);
        }

        var answer = await SendAsync(target, HttpMethod.Get, "_apis/connectionData", null, null, ct);
        if (answer.Problem is not null)
        {
            return (null, answer.Problem);
        }

        return answer.Json.TryGetProperty("authenticatedUser", out var user) && ActionInput.Text(user, "id") is { } id
            ? (id, null)
            : (null, Problem.Create(StatusCodes.Status502BadGateway, "azure_devops_error", "Azure DevOps error", "Azure DevOps did not say who the connection's identity is (connectionData has no authenticatedUser)."));
    }

    /// <summary>
    /// Sends <paramref name="method"/> to {organisation or collection URL}/{path} (path already escaped, query without
    /// api-version) with an optional JSON body. POST and PATCH bodies are small and buffered, so a 401 can always be retried once.
    /// </summary>
    public async Task<ActionAnswer> SendAsync(
        ActionTarget target, HttpMethod method, string path, string? query, object? body, CancellationToken ct, string contentType = "application/json", string apiVersion = ApiVersion, string? baseUrl = null)
    {
        var bytes = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web);
        var asked = ceilings.For(target.BaseUrl, apiVersion);
        var (answer, outOfRange) = await SendOnceAsync(target, baseUrl ?? target.BaseUrl, method, path, query, bytes, contentType, asked, ct);

        // An older Azure DevOps Server refuses a newer api-version and names the latest it supports: ask again with that,
        // once, and from then on ask that collection for it directly.
        if (outOfRange is not null && ceilings.Learn(target.BaseUrl, asked, outOfRange))
        {
            (answer, _) = await SendOnceAsync(target, baseUrl ?? target.BaseUrl, method, path, query, bytes, contentType, ceilings.For(target.BaseUrl, apiVersion), ct);
        }

        return answer;
    }

    /// <summary>One call; with its answer, the message of a VssVersionOutOfRangeException if that was the answer.</summary>
    private async Task<(ActionAnswer Answer, string? OutOfRange)> SendOnceAsync(
        ActionTarget target, string baseUrl, HttpMethod method, string path, string? query, byte[]? bytes, string contentType, string apiVersion, CancellationToken ct)
    {
        var url = $"{baseUrl}/{path}?{(string.IsNullOrEmpty(query) ? string.Empty : query + "&")}api-version={apiVersion}";
        DevOpsSendResult result;
        try
        {
            result = await sender.SendAsync(target.Connection, url, uri =>
            {
                var request = new HttpRequestMessage(method, uri);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (bytes is not null)
                {
                    request.Content = new ByteArrayContent(bytes);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = Encoding.UTF8.WebName };
                }

                return request;
            }, replayable: true, ct);
        }
        catch (ConnectionUnavailableException e)
        {
            AzureCallTally.Record(null);
            return (Failed(Problem.Create(StatusCodes.Status401Unauthorized, "azure_devops_auth_failed", "Azure DevOps authentication failed",
                $"Azure DevOps refused the connection's credentials and they could not be renewed: {e.Message} The connection is now {e.Status}; send the user a connect link with reconnectConnectionId.",
                new Dictionary<string, object?> { ["connectionStatus"] = e.Status, ["azureErrorCode"] = e.ErrorCode })), null);
        }
        catch (TokenRefreshUnavailableException e)
        {
            return (Failed(Problem.Create(StatusCodes.Status503ServiceUnavailable, "token_refresh_failed", "Token refresh failed", e.Message)), null);
        }
        catch (HttpRequestException e)
        {
            AzureCallTally.Record(null);
            return (Failed(Problem.Create(StatusCodes.Status502BadGateway, "azure_devops_unreachable", "Azure DevOps unreachable", $"Azure DevOps could not be reached ({e.HttpRequestError}).")), null);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (Failed(Problem.Create(StatusCodes.Status504GatewayTimeout, "azure_devops_timeout", "Azure DevOps timed out", "Azure DevOps did not answer in time.")), null);
        }

        using var response = result.Response;
        var status = (int)response.StatusCode;
        AzureCallTally.Record(status);
        var json = await ReadJsonAsync(response, ct);
        var (azureMessage, azureTypeKey) = ErrorFields(json);
        if (result.AuthFailed)
        {
            return (Failed(Problem.Create(StatusCodes.Status401Unauthorized, "azure_devops_auth_failed", "Azure DevOps authentication failed",
                $"Azure DevOps refused the request even with a freshly renewed token{(azureMessage is null ? "." : ": " + azureMessage)} Check the user's permissions and the organisation's OAuth policy.",
                new Dictionary<string, object?> { ["azureStatus"] = status, ["azureMessage"] = azureMessage, ["azureTypeKey"] = azureTypeKey })), null);
        }

        if (status >= 400 || (status >= 300 && status < 400))
        {
            // Azure DevOps' 4xx answers are the caller's to act on (same status); its 5xx and stray redirects are a bad gateway.
            var answer = status is >= 400 and < 500 ? status : StatusCodes.Status502BadGateway;
            var outOfRange = status == StatusCodes.Status400BadRequest && azureTypeKey == ApiVersionCeilings.OutOfRangeTypeKey ? azureMessage : null;
            var extensions = new Dictionary<string, object?> { ["azureStatus"] = status, ["azureMessage"] = azureMessage, ["azureTypeKey"] = azureTypeKey };
            if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable && RetryAfterHeader.Of(response) is { } wait)
            {
                // Throttled beyond what the sender waits for itself: say how long, so the caller can retry then.
                extensions["retryAfterSeconds"] = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            }

            return (Failed(Problem.Create(answer, "azure_devops_error", "Azure DevOps error",
                azureMessage ?? $"Azure DevOps answered {status} without an error message.", extensions)), outOfRange);
        }

        var continuation = response.Headers.TryGetValues("x-ms-continuationtoken", out var values) ? values.FirstOrDefault() : null;
        return (new ActionAnswer(json ?? default, string.IsNullOrEmpty(continuation) ? null : continuation, null), null);
    }

    private static ActionAnswer Failed(ProblemHttpResult problem) => new(default, null, problem);

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string? Message, string? TypeKey) ErrorFields(JsonElement? json)
        => json is { ValueKind: JsonValueKind.Object } o
            ? (o.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null,
               o.TryGetProperty("typeKey", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
            : (null, null);
}
