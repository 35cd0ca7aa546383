using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>A project in an organisation (for Azure DevOps Server: in the collection, named like its URL's last segment).</summary>
/// <param name="Organization">The organisation's name, e.g. fabrikam.</param>
/// <param name="Project">The project's name or id.</param>
public sealed record ProjectRef(string Organization, string Project);

/// <summary>A Git repository of a project.</summary>
/// <param name="Organization">The organisation's name.</param>
/// <param name="Project">The project's name or id.</param>
/// <param name="Repository">The repository's name or id.</param>
public sealed record RepositoryRef(string Organization, string Project, string Repository)
{
    /// <summary>The repository's project.</summary>
    public ProjectRef ProjectRef => new(Organization, Project);
}

/// <summary>
/// One page of Azure DevOps objects, each as Azure DevOps sent it (Microsoft's REST shapes; deserialize into your own types
/// or Microsoft's client models). Pass <see cref="ContinuationToken"/> back for the next page; null on the last page.
/// </summary>
/// <param name="Items">The objects on this page.</param>
/// <param name="ContinuationToken">The token for the next page, or null.</param>
public sealed record AzureDevOpsPage(IReadOnlyList<JsonElement> Items, string? ContinuationToken);

/// <summary>Paging for lists that use continuation tokens.</summary>
public sealed record PageRequest
{
    /// <summary>Page size; each list documents its limits.</summary>
    public int? Top { get; init; }

    /// <summary>A previous page's <see cref="AzureDevOpsPage.ContinuationToken"/>.</summary>
    public string? ContinuationToken { get; init; }
}

/// <summary>An organisation (or Server collection) a connection holds.</summary>
/// <param name="Name">The name to use in action calls.</param>
/// <param name="Url">Its Azure DevOps URL, e.g. https://dev.azure.com/fabrikam.</param>
public sealed record AzureDevOpsOrganization(string Name, string Url);

/// <summary>Builds JSON values for work item fields and JSON Patch without reflection (the client is trimming- and AOT-safe).</summary>
public static class AzureDevOpsValue
{
    /// <summary>A text value.</summary>
    public static JsonElement From(string value) => JsonSerializer.SerializeToElement(value, AdoBridgeJsonContext.Default.String);

    /// <summary>A whole number.</summary>
    public static JsonElement From(long value) => JsonSerializer.SerializeToElement(value, AdoBridgeJsonContext.Default.Int64);

    /// <summary>A decimal number.</summary>
    public static JsonElement From(double value) => JsonSerializer.SerializeToElement(value, AdoBridgeJsonContext.Default.Double);

    /// <summary>A boolean.</summary>
    public static JsonElement From(bool value) => JsonSerializer.SerializeToElement(value, AdoBridgeJsonContext.Default.Boolean);
}

internal sealed record ActionPageResponse(JsonElement Items, string? ContinuationToken)
{
    public AzureDevOpsPage ToPage()
        => new(Items.ValueKind == JsonValueKind.Array ? Items.EnumerateArray().Select(e => e.Clone()).ToList() : [], ContinuationToken);
}
