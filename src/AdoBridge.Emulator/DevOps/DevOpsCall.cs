using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>One authenticated REST call to an organisation: who calls, where, and helpers to read the request.</summary>
internal sealed class DevOpsCall(HttpContext http, EmulatorState state, DevOpsCaller caller, EmulatorOrganization org)
{
    public HttpContext Http { get; } = http;

    public EmulatorState State { get; } = state;

    public DevOpsCaller Caller { get; } = caller;

    public EmulatorOrganization Org { get; } = org;

    /// <summary>The organisation URL as the caller reached it (scheme, host and any prefix of the request), without a trailing slash.</summary>
    public string OrgUrl => EmulatorUrls.Organization(Http, Org.Name);

    /// <summary>The emulator clock when the call arrived: one instant for everything the call does, so what it queues
    /// (a merge, a build) is seen as just queued in its own answer.</summary>
    public DateTimeOffset Now { get; } = state.Now;

    public string? Route(string name) => Http.GetRouteValue(name)?.ToString();

    public string? Query(string name)
    {
        var value = (string?)Http.Request.Query[name];
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A query value under its name or with the "searchCriteria." prefix (the REST reference uses the prefix,
    /// the official clients flatten the object and send the bare name).</summary>
    public string? Criteria(string name) => Query("searchCriteria." + name) ?? Query(name);

    public int? QueryInt(string name) =>
        int.TryParse(Query(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public bool QueryBool(string name) => bool.TryParse(Query(name), out var value) && value;

    /// <summary>The project named by the {project} route value (id or name), or null when the route has none.</summary>
    public EmulatorProject? RouteProject => Route("project") is { } p ? FindProject(p) : null;

    public bool HasRouteProject => Route("project") is not null;

    public EmulatorProject? FindProject(string idOrName) =>
        Org.Projects.FirstOrDefault(x => (Guid.TryParse(idOrName, out var id) && x.Id == id) || string.Equals(x.Name, idOrName, StringComparison.OrdinalIgnoreCase));

    public EmulatorProject? FindProject(Guid id) => Org.Projects.FirstOrDefault(x => x.Id == id);

    public IResult ProjectNotFound() => DevOpsErrors.Json(
        StatusCodes.Status404NotFound,
        "ProjectDoesNotExistWithNameException",
        $"TF200016: The following project does not exist: {Route("project")}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.");

    /// <summary>Reads the request body as JSON; a missing or malformed body is the service's 400.</summary>
    public async Task<(JsonElement Body, IResult? Error)> ReadJsonAsync()
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(Http.Request.Body, default, Http.RequestAborted);
            return (doc.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return (default, DevOpsErrors.Json(StatusCodes.Status400BadRequest, "VssPropertyValidationException", "Value cannot be null.\r\nParameter name: the request body is missing or is not valid JSON."));
        }
    }

    /// <summary>A list in the service's shape, with the continuation token header when there is a next page.</summary>
    public IResult List<T>(IReadOnlyCollection<T> page, string? continuationToken = null)
    {
        if (continuationToken is not null)
        {
            Http.Response.Headers["x-ms-continuationtoken"] = continuationToken;
        }

        return DevOpsJson.Ok(new { count = page.Count, value = page });
    }
}
