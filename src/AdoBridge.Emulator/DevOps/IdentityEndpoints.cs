using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Who-am-I APIs: connectionData (organisation and vssps hosts), the profile and the accounts list.</summary>
internal static class IdentityEndpoints
{
    // Service owner ids the real service reports for the TFS (dev.azure.com) and SPS (vssps) services.
    private const string TfsServiceOwner = "00025394-6065-48ca-87d9-7f5672854ef7";
    private const string SpsServiceOwner = "951917ac-a960-4999-8464-e3f0aa25b381";

    // The global profile and accounts service (app.vssps.visualstudio.com) is an SPS instance of its own.
    private static readonly Guid AppInstanceId = Secrets.StableGuid("instance:app.vssps");

    public static IResult ConnectionData(string organization, HttpContext http, EmulatorState state) =>
        DevOpsApi.Guarded(http, state, organization, null, (caller, org) => Results.Json(Connection(http, caller, org!.Id, TfsServiceOwner, LocationHost.Organization, org.LatestApiVersion)), versionOptional: true);

    public static IResult VsspsConnectionData(string organization, HttpContext http, EmulatorState state) =>
        DevOpsApi.Guarded(http, state, organization, null, (caller, org) => Results.Json(Connection(http, caller, org!.Id, SpsServiceOwner, LocationHost.Vssps, org.LatestApiVersion)), versionOptional: true);

    public static IResult AppConnectionData(HttpContext http, EmulatorState state) =>
        DevOpsApi.Guarded(http, state, null, null, (caller, _) => Results.Json(Connection(http, caller, AppInstanceId, SpsServiceOwner, LocationHost.App, null)), versionOptional: true);

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

    private static Dictionary<string, object> Connection(HttpContext http, DevOpsCaller caller, Guid instanceId, string serviceOwner, LocationHost host, string? latest)
    {
        var tenant = caller.User?.TenantId ?? EmulatorDefaults.TenantId;
        var identity = new Dictionary<string, object?>
        {
            ["id"] = caller.Id,
            ["descriptor"] = caller.User is { } u ? $"Microsoft.IdentityModel.Claims.ClaimsIdentity;{u.TenantId}\\{u.UserPrincipalName}" : $"Microsoft.VisualStudio.Services.Claims.AadServicePrincipal;{tenant}\\{caller.Id}",
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
        var locationData = new Dictionary<string, object>
        {
            ["serviceOwner"] = serviceOwner,
            ["defaultAccessMappingMoniker"] = "PublicAccessMapping",
            ["lastChangeId"] = 1,
            ["lastChangeId64"] = 1,
        };

        // connectOptions=IncludeServices (1) is how the .NET client's VssConnection learns every service definition at once.
        if (ConnectOptions(http) is { } options && (options & 1) != 0)
        {
            var baseUrl = host switch
            {
                LocationHost.App => EmulatorUrls.VsspsApp(http),
                _ => EmulatorUrls.Base(http) + EmulatorUrls.RelativePath(http)[..^"/_apis/connectionData".Length],
            } + "/";
            locationData["clientCacheFresh"] = false;
            locationData["clientCacheTimeToLive"] = 3600;
            locationData["accessMappings"] = new[]
            {
                new Dictionary<string, object> { ["displayName"] = "Public Access Mapping", ["moniker"] = "PublicAccessMapping", ["accessPoint"] = baseUrl, ["serviceOwner"] = serviceOwner, ["virtualDirectory"] = "" },
            };
            locationData["serviceDefinitions"] = ServiceDefinitions.For(host, serviceOwner, baseUrl, latest);
        }

        return new Dictionary<string, object>
        {
            ["authenticatedUser"] = identity,
            ["authorizedUser"] = identity,
            ["instanceId"] = instanceId,
            ["deploymentId"] = Secrets.StableGuid($"deployment:{serviceOwner}"),
            ["deploymentType"] = "hosted",
            ["locationServiceData"] = locationData,
        };
    }

    /// <summary>connectOptions as a number (1) or by name ("IncludeServices", comma-separated like the .NET enum).</summary>
    private static int? ConnectOptions(HttpContext http)
    {
        var text = (string?)http.Request.Query["connectOptions"];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        string[] names = ["None", "IncludeServices", "IncludeLastUserAccess", "IncludeInheritedDefinitionsOnly", "IncludeNonInheritedDefinitionsOnly"];
        var flags = 0;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var index = Array.FindIndex(names, x => x.Equals(part, StringComparison.OrdinalIgnoreCase));
            flags |= index > 0 ? 1 << (index - 1) : 0;
        }

        return flags;
    }
}
