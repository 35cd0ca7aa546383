using AdoBridge.Hosting;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Apps;
using AdoBridge.Connections;
using AdoBridge.Problems;
using AdoBridge.RateLimiting;
using AdoBridge.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.ConnectSessions;

internal static class ConnectSessionsApi
{
    public static RouteGroupBuilder MapConnectSessionsApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/connect-sessions", CreateAsync).WithTags("Connections").RequireRateLimiting(RateLimitingServiceCollectionExtensions.ConnectSessionsPolicy)
            .WithName("createConnectSession").WithRequestExample("""{"endUserId": "user-42", "endUserDisplayName": "Alice Smith", "returnUrl": "https://app.contoso.com/settings/azure-devops"}""").WithProblemCodes(400, "invalid_connect_session", "app_not_found", "return_url_not_allowed").WithProblemCodes(404, "connection_not_found").WithSummary("Create a connect link")
            .WithDescription("Create a short-lived, single-use connect link for one end user. Send the user to `url`; they come back to `returnUrl` with `connectionId` and `status`.");
        v1.MapGet("/connect-sessions/{id}", GetAsync).WithTags("Connections")
            .WithName("getConnectSession").WithProblemCodes(404, "connect_session_not_found").WithSummary("Get a connect link's progress")
            .WithDescription("""
                Where a connect link stands, without the link itself: `pending` (not used yet), `completed` (with `connectionId`), `failed` (the last sign-in through it failed: `errorCode` says why,
                e.g. `consent_declined` when the user declined consent; the user may still try again from the same link) or `expired`.
                """);
        return v1;
    }

    internal sealed record CreateConnectSessionRequest(
        [property: Required, Description("Your product's id for the user who will connect (at most 200 characters). Connections made through the link carry it.")] string? EndUserId,
        [property: Description("A name for the user, shown in AdoBridge's lists.")] string? EndUserDisplayName,
        [property: Description("The app (auth provider) to connect with; default: the only valid one, or the user picks.")] string? App,
        [property: Description("Where the user is sent back, with `connectionId` and `status` added to the query; must be on the app's allowedReturnUrls.")] string? ReturnUrl,
        [property: Description("Reconnect this existing connection (keeps its id), e.g. after `needs_reauth` or to move it from a legacy app to Entra.")] string? ReconnectConnectionId);

    internal sealed record ConnectSessionView(
        [property: Description("The connect session's id.")] string Id,
        [property: Description("The link to send the end user to; single use.")] string Url,
        [property: Description("When the link stops working.")] DateTimeOffset ExpiresAt);

    internal sealed record ConnectSessionStateView(
        [property: Description("The connect session's id.")] string Id,
        [property: Description("The end user the link was made for.")] string EndUserId,
        [property: Description("`pending`, `completed`, `failed` (the last sign-in failed; it may still be completed) or `expired`.")] string Status,
        [property: Description("Why the last sign-in failed (`consent_declined`, `wrong_account`, `no_organizations`, `azure_devops_refused`, an `AADSTS…` code); null unless `failed`.")] string? ErrorCode,
        [property: Description("The connection made (or restored) through the link, once `completed`.")] string? ConnectionId,
        [property: Description("When the link stops working.")] DateTimeOffset ExpiresAt);

    private static async Task<Results<Ok<ConnectSessionStateView>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, ConnectSessionService sessions, TimeProvider clock, CancellationToken ct)
    {
        var session = await sessions.FindByIdAsync(id, ct);
        if (session is null || session.EnvironmentId != user.EnvironmentId())
        {
            return Problem.NotFound("connect_session_not_found", $"There is no connect session '{id}' in this environment. Its id is the `id` POST /v1/connect-sessions returned; sessions are removed a while after they expire.");
        }

        var status = session.Status == ConnectSessionStatus.Completed || session.ExpiresAt > clock.GetUtcNow() ? session.Status : "expired";
        return TypedResults.Ok(new ConnectSessionStateView(session.Id, session.EndUserId, status,
            session.Status == ConnectSessionStatus.Failed ? session.ErrorCode : null, session.ConnectionId, session.ExpiresAt));
    }

    private static async Task<Results<Created<ConnectSessionView>, ProblemHttpResult>> CreateAsync(
        CreateConnectSessionRequest request, ClaimsPrincipal user, ConnectSessionService sessions, AppRegistry apps, ConnectionService connections, SandboxMode sandbox, CancellationToken ct)
        => await CreateLinkAsync(user.EnvironmentId(), request, sessions, apps, connections, sandbox, ct);

    /// <summary>Creates a connect link in <paramref name="environment"/>: the API's rules, also for the console's reconnect button.</summary>
    internal static async Task<Results<Created<ConnectSessionView>, ProblemHttpResult>> CreateLinkAsync(
        string environment, CreateConnectSessionRequest request, ConnectSessionService sessions, AppRegistry apps, ConnectionService connections, SandboxMode sandbox, CancellationToken ct)
    {
        var endUserId = request.EndUserId?.Trim();
        if (string.IsNullOrEmpty(endUserId) || endUserId.Length > 200)
        {
            return Problem.BadRequest("invalid_connect_session", "`endUserId` is required: your product's id for the user who will connect (at most 200 characters).");
        }

        if ((InputText.Problem(endUserId, "endUserId", 200, isId: true) ?? InputText.Problem(request.EndUserDisplayName, "endUserDisplayName", 200)
            ?? InputText.Problem(request.ReturnUrl, "returnUrl", 2000) ?? InputText.Problem(request.ReconnectConnectionId, "reconnectConnectionId", 100, isId: true)) is { } invalid)
        {
            return Problem.BadRequest("invalid_connect_session", invalid);
        }

        var valid = (await apps.ListAsync(ct)).Where(a => a.IsValid).ToList();
        if (request.App is not null && valid.All(a => a.Name != request.App))
        {
            return Problem.BadRequest("app_not_found", $"There is no valid app named '{request.App}'. List apps with GET /v1/admin/apps.");
        }

        if (request.ReturnUrl is not null)
        {
            var allowList = valid.Where(a => request.App is null || a.Name == request.App).SelectMany(a => a.Definition.AllowedReturnUrls ?? []).ToList();
            if (!ReturnUrls.IsAllowed(request.ReturnUrl, allowList) && !(sandbox.Enabled && ReturnUrls.IsLoopback(request.ReturnUrl)))
            {
                var fix = sandbox.Enabled
                    ? "In sandbox mode any http(s) URL on localhost or 127.0.0.1 is allowed; for another host add it to AdoBridge:SandboxReturnUrls (the sandbox app's allowedReturnUrls)"
                    : "Add its scheme, host, port and path prefix to the app's allowedReturnUrls";
                return Problem.BadRequest("return_url_not_allowed",
                    $"`returnUrl` is not on the allow-list. {fix} (now: {(allowList.Count == 0 ? "empty" : string.Join(", ", allowList))}).");
            }
        }

        if (request.ReconnectConnectionId is not null && await connections.FindAsync(environment, request.ReconnectConnectionId, ct) is null)
        {
            return Problem.NotFound("connection_not_found", $"There is no connection '{request.ReconnectConnectionId}' in this environment to reconnect.");
        }

        var (session, url) = await sessions.CreateAsync(environment, endUserId, request.EndUserDisplayName?.Trim(), request.App, request.ReturnUrl, request.ReconnectConnectionId, ct);
        return TypedResults.Created($"/v1/connect-sessions/{session.Id}", new ConnectSessionView(session.Id, url, session.ExpiresAt));
    }
}
