using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Azure DevOps' error JSON ($id, innerException, message, typeName, typeKey, errorCode, eventId) and api-version rules.</summary>
internal static partial class DevOpsErrors
{
    private static readonly Dictionary<string, string> TypeNames = new(StringComparer.Ordinal)
    {
        ["VssVersionNotSpecifiedException"] = "Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException, Microsoft.VisualStudio.Services.WebApi",
        ["VssInvalidApiVersionException"] = "Microsoft.VisualStudio.Services.WebApi.VssInvalidApiVersionException, Microsoft.VisualStudio.Services.WebApi",
        ["VssInvalidPreviewVersionException"] = "Microsoft.VisualStudio.Services.WebApi.VssInvalidPreviewVersionException, Microsoft.VisualStudio.Services.WebApi",
        ["VssVersionOutOfRangeException"] = "Microsoft.VisualStudio.Services.WebApi.VssVersionOutOfRangeException, Microsoft.VisualStudio.Services.WebApi",
        ["UnauthorizedRequestException"] = "Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server",
        ["ProjectDoesNotExistWithNameException"] = "Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi",
        ["AccountNotFoundException"] = "Microsoft.VisualStudio.Services.Account.AccountNotFoundException, Microsoft.VisualStudio.Services.WebApi",
        ["ArgumentException"] = "System.ArgumentException, mscorlib",
        ["RuleValidationException"] = "Microsoft.TeamFoundation.WorkItemTracking.Server.RuleValidationException, Microsoft.TeamFoundation.WorkItemTracking.Server",
        ["InvalidContinuationTokenException"] = "Microsoft.TeamFoundation.Core.WebApi.InvalidContinuationTokenException, Microsoft.TeamFoundation.Core.WebApi",
    };

    /// <summary>Highest api-version the emulator claims to support, like the current service.</summary>
    public static readonly Version LatestApiVersion = new(7, 2);

    public static IResult Json(int status, string typeKey, string message, int errorCode = 0) =>
        Json(status, typeKey, message, null, errorCode, 3000);

    /// <summary>The error JSON with customProperties (e.g. a work-item rule error's RuleValidationErrors) before the message.</summary>
    public static IResult Json(int status, string typeKey, string message, Dictionary<string, object?>? customProperties, int errorCode, int eventId)
    {
        var body = new Dictionary<string, object?> { ["$id"] = "1" };
        if (customProperties is not null)
        {
            body["customProperties"] = customProperties;
        }

        body["innerException"] = null;
        body["message"] = message;
        body["typeName"] = TypeNames.GetValueOrDefault(typeKey, typeKey);
        body["typeKey"] = typeKey;
        body["errorCode"] = errorCode;
        body["eventId"] = eventId;
        return Results.Json(body, statusCode: status);
    }

    public static IResult NotAuthorized(Guid identity) =>
        Json(StatusCodes.Status401Unauthorized, "UnauthorizedRequestException", $"TF400813: The user '{identity}' is not authorized to access this resource.");

    /// <summary>Newest released api-version: anything above it exists only as a preview and must say so.</summary>
    public static readonly Version ReleasedApiVersion = new(7, 1);

    /// <summary>Every `_apis` call needs an api-version, from the query string or the Accept header, no newer than the
    /// organisation accepts, and marked -preview when above the released version (7.2 exists only as 7.2-preview).
    /// The location service's connectionData (<paramref name="optional"/>) also answers without one, as Microsoft's
    /// Node and .NET clients call it that way.</summary>
    public static IResult? CheckApiVersion(HttpContext http, EmulatorOrganization? org = null, bool optional = false)
    {
        var version = (string?)http.Request.Query["api-version"];
        if (string.IsNullOrEmpty(version))
        {
            var accept = http.Request.Headers.Accept.ToString();
            var match = AcceptVersion().Match(accept);
            version = match.Success ? match.Groups[1].Value : null;
        }

        if (string.IsNullOrEmpty(version) && optional)
        {
            return null;
        }

        if (string.IsNullOrEmpty(version))
        {
            return Json(
                StatusCodes.Status400BadRequest,
                "VssVersionNotSpecifiedException",
                $"No api-version was supplied for the \"{http.Request.Method}\" request. The version must be supplied either as part of the Accept header (e.g. \"application/json; api-version=1.0\") or as a query parameter (e.g. '?api-version=1.0').");
        }

        var parsed = VersionFormat().Match(version);
        if (!parsed.Success)
        {
            return Json(StatusCodes.Status400BadRequest, "VssInvalidApiVersionException", $"The following api-version is invalid: '{version}'. Use the format {{major}}.{{minor}}[-{{stage}}[.{{resource-version}}]], for example '7.1'.");
        }

        var requested = new Version(int.Parse(parsed.Groups[1].Value), int.Parse(parsed.Groups[2].Value));
        var latest = org?.LatestApiVersion is { } own ? Version.Parse(own) : LatestApiVersion;
        if (requested > latest)
        {
            return Json(StatusCodes.Status400BadRequest, "VssVersionOutOfRangeException", $"The requested REST API version of {version} is out of range for this server. The latest REST API version this server supports is {latest}.");
        }

        if (requested > ReleasedApiVersion && !parsed.Groups[3].Success)
        {
            return Json(StatusCodes.Status400BadRequest, "VssInvalidPreviewVersionException", $"The requested version \"{version}\" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: \"{version}-preview\"");
        }

        return null;
    }

    [GeneratedRegex(@"api-version\s*=\s*([^;,\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex AcceptVersion();

    [GeneratedRegex(@"^(\d+)\.(\d+)(-preview(\.\d+)?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex VersionFormat();
}
