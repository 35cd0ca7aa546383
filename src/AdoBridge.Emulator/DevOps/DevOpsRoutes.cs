using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Maps a route at organisation level and under an optional {project} segment, like the service's templates
/// "{project}/_apis/{area}/…" where the project may be left out.</summary>
internal static class DevOpsRoutes
{
    public static void Map(RouteGroupBuilder org, string method, string pattern, Delegate handler)
    {
        org.MapMethods(pattern, [method], handler);
        org.MapMethods("/{project}" + pattern, [method], handler);
    }

    public static void ProjectOnly(RouteGroupBuilder org, string method, string pattern, Delegate handler) =>
        org.MapMethods("/{project}" + pattern, [method], handler);

    public static void OrgOnly(RouteGroupBuilder org, string method, string pattern, Delegate handler) =>
        org.MapMethods(pattern, [method], handler);

    public static IResult NotFound(string typeKey, string message) => DevOpsErrors.Json(StatusCodes.Status404NotFound, typeKey, message);

    public static IResult BadRequest(string message, string typeKey = "InvalidArgumentValueException") => DevOpsErrors.Json(StatusCodes.Status400BadRequest, typeKey, message);
}
