namespace AdoBridge.Emulator;

/// <summary>The three renderings of a service hook message.</summary>
internal sealed record HookMessage(string Text, string Html, string Markdown)
{
    public static HookMessage Plain(string text) => new(text, System.Net.WebUtility.HtmlEncode(text), text);
}

/// <summary>Something that happened through the REST API, before it is matched to subscriptions.
/// <paramref name="Resource"/> is already rendered (plain dictionaries and arrays, URLs from the triggering request's base).</summary>
internal sealed record HookEvent(
    string EventType,
    string Organization,
    Guid OrganizationId,
    Guid ProjectId,
    string OrgUrl,
    HookMessage Message,
    HookMessage DetailedMessage,
    object Resource,
    string ResourceVersion = "1.0")
{
    /// <summary>Values publisher inputs filter on: repository, branch, notificationType, mergeResult, workItemType,
    /// areaPath, changedFields (comma-separated), tag, definitionName, buildStatus, pullrequestCreatedBy.</summary>
    public Dictionary<string, string?> Filters { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
