using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Finding work items and the service's errors about them. Callers hold the state lock.</summary>
internal static class WorkItemStore
{
    public const string ReadScope = "vso.work";
    public const string WriteScope = "vso.work_write";
    public const int MaxBatch = 200;

    public static WorkItemData? Find(EmulatorData data, DevOpsCall call, int id, bool includeDeleted = false)
    {
        var project = call.RouteProject;
        return data.WorkItems.FirstOrDefault(w =>
            w.Id == id && (includeDeleted || !w.IsDeleted) &&
            string.Equals(w.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase) &&
            (project is null || w.ProjectId == project.Id));
    }

    public static IResult NotFound(int id) => DevOpsErrors.Json(
        StatusCodes.Status404NotFound,
        "WorkItemUnauthorizedAccessException",
        $"TF401232: Work item {id} does not exist, or you do not have permissions to read it.");

    public static IResult TooMany(int count) => DevOpsRoutes.BadRequest(
        $"VS402337: The number of work items requested ({count}) exceeds the limit of {MaxBatch}. Request at most {MaxBatch} work items at a time.",
        "WorkItemTrackingMaxItemsRequestedException");

    /// <summary>Work item writes take JSON Patch only; anything else is the service's 415.</summary>
    public static IResult? RequireJsonPatch(HttpContext http)
    {
        var type = http.Request.ContentType ?? string.Empty;
        return type.StartsWith("application/json-patch+json", StringComparison.OrdinalIgnoreCase)
            ? null
            : DevOpsErrors.Json(
                StatusCodes.Status415UnsupportedMediaType,
                "VssRequestContentTypeNotSupportedException",
                $"The request indicated a Content-Type of \"{(type.Length == 0 ? "(none)" : type.Split(';')[0])}\" for method type \"{http.Request.Method}\" which is not supported. Valid content types for this method are: application/json-patch+json.");
    }

    /// <summary>Comments are a preview resource: an api-version without "-preview" is refused like the service does.</summary>
    public static IResult? RequirePreview(HttpContext http)
    {
        var version = (string?)http.Request.Query["api-version"] ?? http.Request.Headers.Accept.ToString();
        return version.Contains("-preview", StringComparison.OrdinalIgnoreCase)
            ? null
            : DevOpsRoutes.BadRequest(
                $"The requested version \"{http.Request.Query["api-version"]}\" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: \"7.1-preview\"",
                "VssInvalidPreviewVersionException");
    }

    public static List<int>? ParseIds(string? text)
    {
        var ids = new List<int>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                return null;
            }

            ids.Add(id);
        }

        return ids;
    }
}
