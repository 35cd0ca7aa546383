using AdoBridge.Hosting;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Apps;
using AdoBridge.AzureDevOps;
using AdoBridge.Problems;
using AdoBridge.Storage;
using AdoBridge.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Connections;

internal static class ConnectionsApi
{
    public static RouteGroupBuilder MapConnectionsApi(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/connections").WithTags("Connections");
        group.MapGet("/", ListAsync).WithName("listConnections").WithProblemCodes(400, "invalid_filter").WithSummary("List connections")
            .WithDescription("List connections of this key's environment, newest last; filter by endUserId, status, app, authType; page with `cursor`.");
        group.MapPost("/", CreateAsync).WithName("createConnection").WithRequestExample("""{"type": "pat", "endUserId": "user-42", "organization": "fabrikam", "pat": "<personal access token>"}""").WithProblemCodes(400, "invalid_connection", "invalid_organization", "app_not_found", "server_not_configured", "azure_devops_refused", "identity_refused").WithProblemCodes(503, "identity_unavailable").WithSummary("Create a PAT or service-principal connection")
            .WithDescription("Create a PAT or service-principal connection directly (checked against Azure DevOps before it is saved).");
        group.MapGet("/{id}", GetAsync).WithName("getConnection").WithProblemCodes(404, "connection_not_found").WithSummary("Get a connection")
            .WithDescription("Get one connection.");
        group.MapDelete("/{id}", DeleteAsync).WithName("deleteConnection").WithProblemCodes(404, "connection_not_found").WithSummary("Delete a connection")
            .WithDescription("Delete a connection, its stored secrets and its subscriptions (in Azure DevOps too).");
        group.MapPost("/{id}/access-token", AccessTokenAsync).WithName("getAccessToken").WithProblemCodes(404, "connection_not_found").WithProblemCodes(503, "token_refresh_failed").WithSummary("Get a valid access token")
            .WithDescription("A valid access token for the connection, renewed first if needed. Audited.");
        group.MapPost("/{id}/refresh", RefreshAsync).WithName("refreshConnection").WithProblemCodes(404, "connection_not_found").WithProblemCodes(503, "token_refresh_failed").WithSummary("Renew a connection's token now")
            .WithDescription("Renew the connection's access token now (for example after Azure DevOps rejected it). Returns the connection.");
        return v1;
    }

    internal sealed record ConnectionList(IReadOnlyList<ConnectionView> Items, string? NextCursor);

    internal sealed record CreateConnectionRequest(
        [property: Required, AllowedValues("pat", "service-principal"), Description("`pat` (a personal access token) or `service-principal` (an app-only identity of a service-principal app).")] string? Type,
        [property: Required, Description("Your product's id for the user or service this connection belongs to.")] string? EndUserId,
        [property: Description("A name for the user, shown in AdoBridge's lists.")] string? EndUserDisplayName,
        [property: Required, Description("The Azure DevOps organisation (e.g. `fabrikam`), or for Azure DevOps Server the collection URL's last segment.")] string? Organization,
        [property: Description("The personal access token (type `pat`); checked against Azure DevOps before it is stored, encrypted.")] string? Pat,
        [property: Description("The app: a `pat` app (default: the only one) or the `service-principal` app to sign in with.")] string? App);

    internal sealed record AccessTokenView(string AccessToken, string TokenType, DateTimeOffset? ExpiresAt, string ConnectionId);

    private static async Task<Results<Ok<ConnectionList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, ConnectionService connections, string? endUserId, string? status, string? app, string? authType, string? cursor, int? limit, CancellationToken ct)
    {
        if (status is not null && !ConnectionStatus.All.Contains(status))
        {
            return Problem.BadRequest("invalid_filter", $"`status` must be one of: {string.Join(", ", ConnectionStatus.All)}.");
        }

        if (limit is < 1 or > 500)
        {
            return Problem.BadRequest("invalid_filter", "`limit` must be between 1 and 500 (default 100).");
        }

        var page = await connections.ListAsync(user.EnvironmentId(), endUserId, status, app, authType, cursor, limit ?? 100, ct);
        return TypedResults.Ok(new ConnectionList(page.Items.Select(ConnectionView.From).ToList(), page.NextCursor));
    }

    private static async Task<Results<Ok<ConnectionView>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, ConnectionService connections, CancellationToken ct)
        => await connections.FindAsync(user.EnvironmentId(), id, ct) is { } c ? TypedResults.Ok(ConnectionView.From(c)) : NotFound(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, ClaimsPrincipal user, ConnectionService connections, IEnumerable<IConnectionCleanup> cleanups, CancellationToken ct)
        => await ConnectionRemoval.DeleteAsync(connections, cleanups, user.EnvironmentId(), id, Actor(user), ct) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<AccessTokenView>, ProblemHttpResult>> AccessTokenAsync(string id, ClaimsPrincipal user, ConnectionService connections, CancellationToken ct)
    {
        var connection = await connections.FindAsync(user.EnvironmentId(), id, ct);
        if (connection is null)
        {
            return NotFound(id);
        }

        try
        {
            var token = await connections.HandOutAccessTokenAsync(connection, Actor(user), ct);
            return TypedResults.Ok(new AccessTokenView(token.Token, token.Scheme == "Basic" ? "pat" : "Bearer", token.ExpiresAt, id));
        }
        catch (ConnectionUnavailableException e)
        {
            return Unavailable(e);
        }
        catch (TokenRefreshUnavailableException e)
        {
            return Problem.Create(StatusCodes.Status503ServiceUnavailable, "token_refresh_failed", "Token refresh failed", e.Message);
        }
    }

    private static async Task<Results<Ok<ConnectionView>, ProblemHttpResult>> RefreshAsync(string id, ClaimsPrincipal user, ConnectionService connections, TokenVault vault, CancellationToken ct)
    {
        var connection = await connections.FindAsync(user.EnvironmentId(), id, ct);
        if (connection is null)
        {
            return NotFound(id);
        }

        try
        {
            await vault.RefreshAsync(id, staleVersion: connection.Version, ct);
        }
        catch (ConnectionUnavailableException e)
        {
            return Unavailable(e);
        }
        catch (TokenRefreshUnavailableException e)
        {
            return Problem.Create(StatusCodes.Status503ServiceUnavailable, "token_refresh_failed", "Token refresh failed", e.Message);
        }

        return TypedResults.Ok(ConnectionView.From((await connections.FindAsync(user.EnvironmentId(), id, ct))!));
    }

    private static async Task<Results<Created<ConnectionView>, ProblemHttpResult>> CreateAsync(
        CreateConnectionRequest request, ClaimsPrincipal user, ConnectionService connections, PatConnector pats, AppRegistry apps,
        IdentityClient identity, DevOpsClient devops, CancellationToken ct)
    {
        var endUserId = request.EndUserId?.Trim();
        if (string.IsNullOrEmpty(endUserId) || endUserId.Length > 200)
        {
            return Problem.BadRequest("invalid_connection", "`endUserId` is required: your product's id for the user or service this connection belongs to.");
        }

        if ((InputText.Problem(endUserId, "endUserId", 200, isId: true) ?? InputText.Problem(request.EndUserDisplayName, "endUserDisplayName", 200)) is { } invalid)
        {
            return Problem.BadRequest("invalid_connection", invalid);
        }

        if (!OrganizationInput.TryParse(request.Organization, out var target, out var parseError))
        {
            return Problem.BadRequest("invalid_organization", $"`organization`: {parseError}");
        }

        var type = request.Type?.Trim().ToLowerInvariant();
        try
        {
            NewConnection created;
            if (type == AuthTypes.Pat)
            {
                var patApp = (await apps.ListAsync(ct)).FirstOrDefault(a => a.IsValid && a.Type == AppTypes.Pat && (request.App is null || a.Name == request.App)
                    && string.Equals(a.Definition.AzureDevOps?.ServerUrl?.TrimEnd('/'), target.ServerUrl, StringComparison.OrdinalIgnoreCase));
                if (target.ServerUrl is not null && patApp is null)
                {
                    return Problem.BadRequest("server_not_configured", $"{target.ServerUrl} is not a configured Azure DevOps Server: add an app of type 'pat' with azureDevOps.serverUrl set to it.");
                }

                var who = await pats.VerifyAsync(target, request.Pat ?? string.Empty, ct);
                created = new NewConnection(user.EnvironmentId(), endUserId, request.EndUserDisplayName, patApp?.Name ?? "pat", AuthTypes.Pat,
                    [target.Organization ?? target.ServerUrl!], target.ServerUrl, who, null, null, new TokenResult(request.Pat!, null, null, null), null);
            }
            else if (type == AuthTypes.ServicePrincipal)
            {
                var app = (await apps.ListAsync(ct)).FirstOrDefault(a => a.IsValid && a.Type == AppTypes.ServicePrincipal && (request.App is null || a.Name == request.App));
                if (app is null || target.Organization is null)
                {
                    return Problem.BadRequest("app_not_found", "A service-principal connection needs a valid app of type 'service-principal' (name it in `app`) and an Azure DevOps Services organisation.");
                }

                var tokens = await identity.ClientCredentialsAsync(app, ct);
                var who = await devops.GetConnectionDataAsync(target.BaseUrl, DevOpsCredential.Bearer(tokens.AccessToken), ct);
                created = new NewConnection(user.EnvironmentId(), endUserId, request.EndUserDisplayName, app.Name, AuthTypes.ServicePrincipal,
                    [target.Organization], null, new DevOpsProfile(who.Id, who.Name, null), app.Definition.Tenant, tokens.Scope, tokens, null);
            }
            else
            {
                return Problem.BadRequest("invalid_connection", "`type` must be 'pat' or 'service-principal'. Users who sign in with Microsoft connect through POST /v1/connect-sessions.");
            }

            var (saved, _) = await connections.SaveAsync(created, ct);
            return TypedResults.Created($"/v1/connections/{saved.Id}", ConnectionView.From(saved));
        }
        catch (ConnectRefusedException e)
        {
            return Problem.BadRequest(e.Code, e.Fix is null ? e.Message : $"{e.Message} {e.Fix}");
        }
        catch (IdentityException e)
        {
            return Problem.BadRequest("identity_refused", $"Microsoft refused the app's credentials ({e.AadstsCode ?? e.Error}): {e.Description} Run GET /v1/admin/apps/{request.App ?? "{name}"}/doctor.");
        }
        catch (IdentityUnavailableException e)
        {
            return Problem.Create(StatusCodes.Status503ServiceUnavailable, "identity_unavailable", "Identity provider unavailable", e.Message);
        }
        catch (DevOpsException e)
        {
            return Problem.BadRequest("azure_devops_refused", $"Azure DevOps refused the service principal for {target.BaseUrl}: {e.Message} Add the service principal to the organisation (Organization settings → Users).");
        }
    }

    internal static ProblemHttpResult Unavailable(ConnectionUnavailableException e)
        => Problem.Create(StatusCodes.Status409Conflict, e.Status == ConnectionStatus.NeedsReauth ? "connection_needs_reauth" : "connection_unavailable", "Connection unavailable",
            $"Connection {e.ConnectionId} is {e.Status}: {e.Message} " + (e.Status == ConnectionStatus.NeedsReauth ? "Send the user a connect link with reconnectConnectionId to restore it." : "Check the app with GET /v1/admin/apps/{name}/doctor."),
            new Dictionary<string, object?> { ["connectionStatus"] = e.Status, ["azureErrorCode"] = e.ErrorCode });

    private static ProblemHttpResult NotFound(string id)
        => Problem.NotFound("connection_not_found", $"There is no connection '{id}' in this API key's environment.");

    private static string Actor(ClaimsPrincipal user) => "api-key:" + (user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) ?? "?");
}
