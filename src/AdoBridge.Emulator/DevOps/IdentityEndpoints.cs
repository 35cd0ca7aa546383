using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Who-am-I APIs: connectionData (organisation and vssps hosts), the profile and the accounts list.</summary>
internal static class IdentityEndpoints
{
    // Service owner ids the real service reports for the TFS (dev.azure.com) and SPS (vssps) services.
    private const string TfsServiceOwner = "00025394-6065-48ca-87d9-7f5672854ef7";
    private const string SpsServiceOwner = "951917ac-a960-4999-8464-e3f0aa25b381";

    public static IResult ConnectionData(string organization, HttpContext http, EmulatorState state) =>
        DevOpsApi.Guarded(http, state, organization, null, (caller, org) => Results.Json(Connection(caller, org!, TfsServiceOwner)));

    public static IResult VsspsConnectionData(string organization, HttpContext http, EmulatorState state) =>
        DevOpsApi.Guarded(http, state, organization, null, (caller, org) => Results.Json(Connection(caller, org!, SpsServiceOwner)));

    public static IResult Profile(string id, HttpContext http, EmulatorState state) =>
        DevOpsApi.Guarded(http, state, null, "vso.profile", (caller, _) =>
        {
            if (!id.Equals("me", StringComparison.OrdinalIgnoreCase) && !(Guid.TryParse(id, out var requested) && requested == caller.Id))
            {
                return DevOpsErrors.NotAuthorized(caller.Id);
            }

            return Results.Json(new Dictionary<string, object?>
            {
                ["displayName"] = caller.DisplayName,
                ["publicAlias"] = caller.Id.ToString(),
                ["emailAddress"] = caller.UserPrincipalName,
                ["coreRevision"] = 1,
                ["timeStamp"] = state.Now,
                ["id"] = caller.Id.ToString(),
                ["revision"] = 1,
            });
        });

    public static IResult Accounts(HttpContext http, EmulatorState state) =>
        DevOpsApi.Guarded(http, state, null, "vso.profile", (caller, _) =>
        {
            string? memberId = http.Request.Query["memberId"];
            string? ownerId = http.Request.Query["ownerId"];
            var filter = memberId ?? ownerId;
            if (string.IsNullOrEmpty(filter))
            {
                return DevOpsErrors.Json(StatusCodes.Status400BadRequest, "ArgumentException", "Either ownerId or memberId must be specified.");
            }

            if (!Guid.TryParse(filter, out var id) || id != caller.Id)
            {
                return DevOpsErrors.NotAuthorized(caller.Id);
            }

            // Owner or member: the emulator does not model ownership, so both list the caller's organisations.
            var orgs = state.Organizations
                .Where(o => caller.User is { } u ? u.Organizations.Contains(o.Name, StringComparer.OrdinalIgnoreCase) : o.ServicePrincipalIds.Contains(caller.Id))
                .Select(o => new Dictionary<string, object>
                {
                    ["accountId"] = o.Id,
                    ["accountUri"] = $"{EmulatorUrls.Vssps(http, o.Name)}/",
                    ["accountName"] = o.Name,
                    ["properties"] = new Dictionary<string, object>(),
                })
                .ToArray();
            return Results.Json(new { count = orgs.Length, value = orgs });
        });

    private static Dictionary<string, object> Connection(DevOpsCaller caller, EmulatorOrganization org, string serviceOwner)
    {
        var identity = new Dictionary<string, object?>
        {
            ["id"] = caller.Id,
            ["descriptor"] = caller.User is { } u ? $"Microsoft.IdentityModel.Claims.ClaimsIdentity;{u.TenantId}\\{u.UserPrincipalName}" : $"Microsoft.VisualStudio.Services.Claims.AadServicePrincipal;{org.TenantId}\\{caller.Id}",
            ["subjectDescriptor"] = (caller.User is null ? "aadsp." : "aad.") + Secrets.Base64Url(caller.Id.ToByteArray()),
            ["providerDisplayName"] = caller.DisplayName,
            ["isActive"] = true,
            ["properties"] = new Dictionary<string, object>
            {
                ["Account"] = new Dictionary<string, object?> { ["$type"] = "System.String", ["$value"] = caller.UserPrincipalName ?? caller.DisplayName },
            },
            ["resourceVersion"] = 2,
            ["metaTypeId"] = 0,
        };
        return new Dictionary<string, object>
        {
            ["authenticatedUser"] = identity,
            ["authorizedUser"] = identity,
            ["instanceId"] = org.Id,
            ["deploymentId"] = Secrets.StableGuid($"deployment:{serviceOwner}"),
            ["deploymentType"] = "hosted",
            ["locationServiceData"] = new Dictionary<string, object>
            {
                ["serviceOwner"] = serviceOwner,
                ["defaultAccessMappingMoniker"] = "PublicAccessMapping",
                ["lastChangeId"] = 1,
                ["lastChangeId64"] = 1,
            },
        };
    }
}
