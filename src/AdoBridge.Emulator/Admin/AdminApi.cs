using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AdoBridge.Emulator;

/// <summary>The test-control API under B/_admin: seed data, register apps, mint PATs, move the clock, revoke, inject faults.</summary>
internal static class AdminApi
{
    public static void Map(RouteGroupBuilder root)
    {
        var admin = root.MapGroup("/_admin");
        admin.AddEndpointFilter(RequireAdminToken);
        admin.AddEndpointFilter(ArgumentErrorsAsBadRequest);
        admin.DisableAntiforgery();

        admin.MapGet("/state", (EmulatorState s) => Results.Json(Summary(s)));
        admin.MapPost("/bulk/refresh-tokens", (BulkRefreshTokensRequest r, EmulatorState s) =>
            Results.Json(new { refreshTokens = s.IssueRefreshTokens(r.ClientId, r.UserPrincipalName, Math.Clamp(r.Count, 1, 500_000)) }));
        admin.MapPost("/reset", (EmulatorState s) => { s.ResetToSeed(); return Results.NoContent(); });

        admin.MapPost("/tenants", (AddTenantRequest r, EmulatorState s) => Results.Json(s.AddTenant(r.DisplayName, r.Domain, r.Id), statusCode: 201));
        admin.MapPost("/users", (AddUserRequest r, EmulatorState s) =>
            Results.Json(s.AddUser(r.UserPrincipalName, r.DisplayName, r.TenantId ?? EmulatorDefaults.TenantId, r.Organizations, r.GuestOfTenantIds, r.Id), statusCode: 201));
        admin.MapPost("/organizations", (AddOrganizationRequest r, EmulatorState s) =>
            Results.Json(s.AddOrganization(r.Name, r.TenantId ?? EmulatorDefaults.TenantId, r.OAuthPolicyEnabled, r.Id), statusCode: 201));
        admin.MapPost("/organizations/{organization}/projects", (string organization, AddProjectRequest r, EmulatorState s) =>
            Results.Json(s.AddProject(organization, r.Name, r.Description), statusCode: 201));
        admin.MapPut("/organizations/{organization}/oauth-policy", (string organization, OAuthPolicyRequest r, EmulatorState s) =>
        {
            s.SetOAuthPolicy(organization, r.Enabled);
            return Results.NoContent();
        });
        admin.MapPut("/organizations/{organization}/api-version", (string organization, ApiVersionRequest r, EmulatorState s) =>
        {
            s.SetLatestApiVersion(organization, r.Latest);
            return Results.NoContent();
        });
        admin.MapPost("/organizations/{organization}/members", AddMember);

        admin.MapPost("/entra-apps", RegisterEntraApp);
        admin.MapPost("/entra-apps/{clientId}/secrets/{secretId}/expire", (string clientId, string secretId, EmulatorState s) =>
        {
            s.ExpireClientSecret(clientId, secretId);
            return Results.NoContent();
        });
        admin.MapPost("/legacy-apps", RegisterLegacyApp);
        admin.MapPost("/pats", (CreatePatRequest r, EmulatorState s) =>
            Results.Json(new { value = s.CreatePat(r.UserPrincipalName, r.Organization, r.Scopes, r.ExpiresAt, r.Value) }, statusCode: 201));

        admin.MapGet("/clock", (EmulatorState s) => Results.Json(new { now = s.Clock.GetUtcNow() }));
        admin.MapPost("/clock/advance", (AdvanceClockRequest r, EmulatorState s) =>
        {
            s.AdvanceClock(r.By ?? TimeSpan.FromSeconds(r.Seconds ?? throw new ArgumentException("Send 'seconds' or 'by'.")));
            return Results.Json(new { now = s.Clock.GetUtcNow() });
        });

        admin.MapPost("/grants/revoke", (UserClientRequest r, EmulatorState s) => Results.Json(new { revoked = s.RevokeGrant(r.UserPrincipalName, r.ClientId) }));
        admin.MapPost("/consents/remove", (UserClientRequest r, EmulatorState s) =>
        {
            s.RemoveConsent(r.UserPrincipalName, r.ClientId);
            return Results.NoContent();
        });

        admin.MapGet("/faults", (EmulatorState s) => Results.Json(s.Faults));
        admin.MapPost("/faults", (FaultRequest r, EmulatorState s) =>
        {
            s.InjectFault(new EmulatorFault(r.Method ?? "*", r.PathPrefix, r.StatusCode, r.Count, r.Headers, r.Body, r.ContentType));
            return Results.NoContent();
        });
        admin.MapDelete("/faults", (EmulatorState s) =>
        {
            s.ClearFaults();
            return Results.NoContent();
        });

        AdminContentApi.Map(admin);
        KeylessAdminApi.Map(admin);

        admin.MapGet("/counts", (EmulatorState s) => Results.Json(Counts(s.Counts)));
        admin.MapPost("/counts/reset", (EmulatorState s) =>
        {
            s.Counts.Reset();
            return Results.NoContent();
        });
    }

    private static IResult AddMember(string organization, AddMemberRequest r, EmulatorState s)
    {
        if (r.ServicePrincipalClientId is { } clientId)
        {
            return Results.Json(new { servicePrincipalId = s.AddServicePrincipalToOrganization(organization, clientId) });
        }

        s.AddOrganizationMember(organization, r.UserPrincipalName ?? throw new ArgumentException("Send 'userPrincipalName' or 'servicePrincipalClientId'."));
        return Results.NoContent();
    }

    /// <summary>Secret values are returned once, here, like the Azure portal shows them once.</summary>
    private static IResult RegisterEntraApp(RegisterEntraAppRequest r, EmulatorState s)
    {
        var secrets = (r.Secrets ?? [new SecretRequest()])
            .Select(x => new EmulatorClientSecret(x.SecretId ?? Guid.NewGuid().ToString(), x.Value ?? Secrets.NewToken("emusecret~", 30), x.ExpiresAt))
            .ToArray();
        var app = new EntraAppRegistration(r.TenantId ?? EmulatorDefaults.TenantId, r.ClientId ?? Guid.NewGuid().ToString(), r.DisplayName, secrets, r.RedirectUris);
        s.RegisterEntraApp(app);
        return Results.Json(app, statusCode: 201);
    }

    private static IResult RegisterLegacyApp(RegisterLegacyAppRequest r, EmulatorState s)
    {
        if (!LegacyOAuthApi.IsAllowedCallback(r.CallbackUrl))
        {
            throw new ArgumentException("The callback URL must be HTTPS (HTTP only on localhost or 127.0.0.1).");
        }

        var app = new LegacyAppRegistration(r.AppId ?? Guid.NewGuid().ToString().ToUpperInvariant(), r.DisplayName, r.ClientSecret ?? Secrets.NewToken("emulegacy_", 48), r.CallbackUrl, r.Scopes, r.SecretExpiresAt);
        s.RegisterLegacyApp(app);
        return Results.Json(app, statusCode: 201);
    }

    private static object Summary(EmulatorState s) => new
    {
        now = s.Clock.GetUtcNow(),
        tenants = s.Tenants,
        users = s.Users,
        organizations = s.Organizations.Select(o => new { o.Name, o.Id, o.TenantId, o.OAuthPolicyEnabled, projectCount = o.Projects.Count, o.ServicePrincipalIds }),
        entraApps = s.EntraApps.Select(a => new { a.TenantId, a.ClientId, a.DisplayName, a.RedirectUris, secrets = a.Secrets.Select(x => new { x.SecretId, x.ExpiresAt }) }),
        legacyApps = s.LegacyApps.Select(a => new { a.AppId, a.DisplayName, a.CallbackUrl, a.Scopes, a.SecretExpiresAt }),
        faults = s.Faults,
        counts = Counts(s.Counts),
    };

    private static object Counts(EmulatorRequestCounts c) => new
    {
        apiRequests = c.ApiRequests,
        tokenRequests = c.TokenRequests,
        tokenRequestsByGrantType = c.TokenRequestsByGrantType,
        tokenRequestsByClient = c.TokenRequestsByClient,
    };

    private static async ValueTask<object?> RequireAdminToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = http.RequestServices.GetRequiredService<IOptions<EmulatorOptions>>().Value.AdminToken;
        if (!string.IsNullOrEmpty(expected))
        {
            var header = http.Request.Headers.Authorization.ToString();
            var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
            if (!Secrets.FixedTimeEquals(presented, expected))
            {
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Admin token required", detail: "Send 'Authorization: Bearer <admin token>'.");
            }
        }

        return await next(context);
    }

    private static async ValueTask<object?> ArgumentErrorsAsBadRequest(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ArgumentException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid admin request", detail: ex.Message);
        }
    }
}
