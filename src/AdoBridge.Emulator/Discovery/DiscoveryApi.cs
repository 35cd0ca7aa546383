using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Service discovery for the official clients: OPTIONS {org}/_apis[/{area}] lists resource locations, and
/// GET {org}/_apis/resourceAreas gives each area's locationUrl built from the request's own base URL (scheme, host and
/// path up to and including /{org}), so a proxy that rewrites the host keeps the client on the proxy.</summary>
internal static class DiscoveryApi
{
    public static void Map(RouteGroupBuilder org)
    {
        DevOpsRoutes.OrgOnly(org, "OPTIONS", "/_apis", Options);
        DevOpsRoutes.OrgOnly(org, "OPTIONS", "/_apis/{area}", Options);
        DevOpsRoutes.OrgOnly(org, "GET", "/_apis/connectionData", IdentityEndpoints.ConnectionData);
        DevOpsRoutes.OrgOnly(org, "GET", "/_apis/resourceAreas", Areas);
        DevOpsRoutes.OrgOnly(org, "GET", "/_apis/resourceAreas/{areaId}", Area);
    }

    /// <summary>The identity service of an organisation (vssps.dev.azure.com/{org}) and the global profile service
    /// (app.vssps.visualstudio.com) answer OPTIONS for their own locations, as Microsoft's clients discover them there.</summary>
    public static void MapVssps(RouteGroupBuilder vssps, RouteGroupBuilder app)
    {
        vssps.MapMethods("/_apis", ["OPTIONS"], (HttpContext http, EmulatorState state) => OptionsFor(http, state, LocationHost.Vssps));
        vssps.MapMethods("/_apis/{area}", ["OPTIONS"], (HttpContext http, EmulatorState state) => OptionsFor(http, state, LocationHost.Vssps));
        app.MapMethods("/", ["OPTIONS"], (HttpContext http) => AppOptions(http));
        app.MapMethods("/{area}", ["OPTIONS"], (HttpContext http) => AppOptions(http));
    }

    /// <summary>Anonymous like the service's location service, and without api-version.</summary>
    private static IResult Options(HttpContext http, EmulatorState state) => OptionsFor(http, state, LocationHost.Organization);

    private static IResult OptionsFor(HttpContext http, EmulatorState state, LocationHost host)
    {
        var org = state.FindOrganization(http.GetRouteValue("organization")?.ToString() ?? string.Empty);
        if (org is null)
        {
            return DevOpsErrors.Json(StatusCodes.Status404NotFound, "AccountNotFoundException", $"VS800075: The organization '{http.GetRouteValue("organization")}' does not exist.");
        }

        return LocationList(http, host, org.LatestApiVersion);
    }

    private static IResult AppOptions(HttpContext http) => LocationList(http, LocationHost.App, null);

    private static IResult LocationList(HttpContext http, LocationHost host, string? latest)
    {
        var area = http.GetRouteValue("area")?.ToString();
        var locations = ResourceLocations.On(host).Where(l => area is null || string.Equals(l.Area, area, StringComparison.OrdinalIgnoreCase)).Select(l => Location(l, latest)).ToArray();
        return DevOpsJson.Ok(new { count = locations.Length, value = locations });
    }

    public static IResult Areas(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, null, call => call.List(ResourceLocations.Areas.Select(a => AreaJson(call, a)).ToArray()));

    public static IResult Area(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, null, call =>
        {
            var id = call.Route("areaId");
            var area = ResourceLocations.Areas.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase) || string.Equals(a.Name, id, StringComparison.OrdinalIgnoreCase));
            return area is null
                ? DevOpsRoutes.NotFound("ResourceAreaNotFoundException", $"VS800021: The resource area {id} does not exist.")
                : DevOpsJson.Ok(AreaJson(call, area));
        });

    public static Dictionary<string, object?> AreaJson(DevOpsCall call, ResourceArea area) => new()
    {
        ["id"] = area.Id,
        ["name"] = area.Name,
        ["locationUrl"] = $"{EmulatorUrls.Base(call.Http)}/{area.Host.Replace("{org}", call.Org.Name, StringComparison.Ordinal)}/",
    };

    /// <summary>A location as the organisation serves it: an older Server's (<paramref name="latest"/> set) goes no higher
    /// than its own latest version, so a client negotiating from this list asks for what it accepts.</summary>
    public static Dictionary<string, object?> Location(ResourceLocation l, string? latest) => new()
    {
        ["id"] = l.Id,
        ["area"] = l.Area,
        ["resourceName"] = l.ResourceName,
        ["routeTemplate"] = l.RouteTemplate,
        ["resourceVersion"] = l.ResourceVersion,
        ["minVersion"] = l.MinVersion,
        ["maxVersion"] = AtMost(l.MaxVersion, latest),
        ["releasedVersion"] = AtMost(l.ReleasedVersion, latest),
    };

    private static string AtMost(string version, string? latest)
        => latest is not null && Version.Parse(version) > Version.Parse(latest) ? latest : version;
}
