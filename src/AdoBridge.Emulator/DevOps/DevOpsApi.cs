using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Azure DevOps REST under B/dev.azure.com/{org}, B/vssps.dev.azure.com/{org} and B/app.vssps.visualstudio.com.</summary>
internal static class DevOpsApi
{
    private static readonly string[] GetAndHead = ["GET", "HEAD"];

    public static void Map(RouteGroupBuilder root)
    {
        var org = root.MapGroup("/" + EmulatorDefaults.DevOpsHost + "/{organization}");
        org.MapMethods("/", GetAndHead, OrganizationHome);
        org.MapGet("/_apis/projects", ProjectsEndpoints.List);
        org.MapGet("/_apis/projects/{projectId}", ProjectsEndpoints.Get);
        GitApi.Map(org);
        PullRequestsApi.Map(org);
        WorkItemsApi.Map(org);
        PipelinesApi.Map(org);
        BuildsApi.Map(org);
        PolicyEndpoints.Map(org);
        TeamsEndpoints.Map(org);
        HooksApi.Map(org);
        DiscoveryApi.Map(org);

        var vssps = root.MapGroup("/" + EmulatorDefaults.VsspsHost + "/{organization}");
        vssps.MapGet("/_apis/connectionData", IdentityEndpoints.VsspsConnectionData);

        vssps.MapGet("/_apis/identities", IdentitySearchEndpoints.Search);
        vssps.MapGet("/_apis/resourceAreas", DiscoveryApi.Areas);
        vssps.MapGet("/_apis/resourceAreas/{areaId}", DiscoveryApi.Area);

        var app = root.MapGroup("/" + EmulatorDefaults.VsspsAppHost + "/_apis");
        app.MapGet("/profile/profiles/{id}", IdentityEndpoints.Profile);
        app.MapGet("/accounts", IdentityEndpoints.Accounts);
        app.MapGet("/connectionData", IdentityEndpoints.AppConnectionData);
        DiscoveryApi.MapVssps(vssps, app);
    }

    /// <summary>Runs a REST handler the way the service does: diagnostic headers, organisation lookup,
    /// authentication and authorization, then api-version.</summary>
    public static IResult Guarded(HttpContext http, EmulatorState state, string? organization, string? requiredScope, Func<DevOpsCaller, EmulatorOrganization?, IResult> handler, bool versionOptional = false)
    {
        AddServiceHeaders(http);
        EmulatorOrganization? org = null;
        if (organization is not null)
        {
            org = state.FindOrganization(organization);
            if (org is null)
            {
                return DevOpsErrors.Json(StatusCodes.Status404NotFound, "AccountNotFoundException", $"VS800075: The organization '{organization}' does not exist.");
            }

            http.Response.Headers["X-VSS-ResourceTenant"] = org.TenantId;
        }

        var (caller, failure) = DevOpsAuth.Authenticate(http, state, org, requiredScope);
        if (failure is not null)
        {
            return failure;
        }

        return DevOpsErrors.CheckApiVersion(http, org, versionOptional) ?? handler(caller!, org);
    }

    /// <summary>Runs a handler for an organisation-scoped call (route value {organization}) after the service's checks.</summary>
    public static IResult Run(HttpContext http, EmulatorState state, string? requiredScope, Func<DevOpsCall, IResult> handler) =>
        Guarded(http, state, http.GetRouteValue("organization")?.ToString() ?? string.Empty, requiredScope, (caller, org) => handler(new DevOpsCall(http, state, caller, org!)));

    /// <summary>The asynchronous form of <see cref="Run"/>, for handlers that read a body.</summary>
    public static async Task<IResult> RunAsync(HttpContext http, EmulatorState state, string? requiredScope, Func<DevOpsCall, Task<IResult>> handler)
    {
        DevOpsCall? call = null;
        var early = Guarded(http, state, http.GetRouteValue("organization")?.ToString() ?? string.Empty, requiredScope, (caller, org) =>
        {
            call = new DevOpsCall(http, state, caller, org!);
            return Results.Empty;
        });
        return call is null ? early : await handler(call);
    }

    /// <summary>The well-known way to learn an organisation's tenant: an anonymous request to the organisation URL answers
    /// 401 with X-VSS-ResourceTenant and a WWW-Authenticate header naming the tenant's authority.</summary>
    private static IResult OrganizationHome(string organization, HttpContext http, EmulatorState state)
    {
        AddServiceHeaders(http);
        var org = state.FindOrganization(organization);
        if (org is null)
        {
            return Results.NotFound();
        }

        http.Response.Headers["X-VSS-ResourceTenant"] = org.TenantId;
        var (_, failure) = DevOpsAuth.Authenticate(http, state, org, null);
        if (failure is not null)
        {
            http.Response.Headers.Append("WWW-Authenticate", $"Bearer authorization_uri={EmulatorUrls.Login(http, org.TenantId)}");
            return Results.Unauthorized();
        }

        return HtmlPages.Page(org.Name, $"<h1 id=\"organization\">{HtmlPages.E(org.Name)}</h1>");
    }

    private static void AddServiceHeaders(HttpContext http)
    {
        var activity = Guid.NewGuid().ToString();
        http.Response.Headers["ActivityId"] = activity;
        http.Response.Headers["X-VSS-E2EID"] = activity;
        http.Response.Headers["X-TFS-Session"] = (string?)http.Request.Headers["X-TFS-Session"] is { Length: > 0 } session ? session : activity;
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
    }
}
