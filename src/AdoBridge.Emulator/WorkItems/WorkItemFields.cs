using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Emulator;

/// <summary>A work item field: reference name, friendly name, type (string, integer, double, dateTime, identity, html,
/// treePath, plainText, history) and whether clients may set it.</summary>
internal sealed record WorkItemField(string ReferenceName, string Name, string Type, bool ReadOnly = false);

/// <summary>The fields and types of the Agile process the emulator models.</summary>
internal static class WorkItemFields
{
    public static readonly WorkItemField[] All =
    [
        new("System.Id", "ID", "integer", true),
        new("System.Rev", "Rev", "integer", true),
        new("System.Title", "Title", "string"),
        new("System.State", "State", "string"),
        new("System.Reason", "Reason", "string"),
        new("System.WorkItemType", "Work Item Type", "string"),
        new("System.AssignedTo", "Assigned To", "identity"),
        new("System.CreatedDate", "Created Date", "dateTime"),
        new("System.CreatedBy", "Created By", "identity"),
        new("System.ChangedDate", "Changed Date", "dateTime"),
        new("System.ChangedBy", "Changed By", "identity"),
        new("System.TeamProject", "Team Project", "string"),
        new("System.AreaPath", "Area Path", "treePath"),
        new("System.IterationPath", "Iteration Path", "treePath"),
        new("System.Tags", "Tags", "plainText"),
        new("System.Description", "Description", "html"),
        new("System.History", "History", "history"),
        new("System.CommentCount", "Comment Count", "integer", true),
        new("System.Parent", "Parent", "integer"),
        new("Microsoft.VSTS.Common.Priority", "Priority", "integer"),
        new("Microsoft.VSTS.Common.Severity", "Severity", "string"),
        new("Microsoft.VSTS.Common.StateChangeDate", "State Change Date", "dateTime"),
        new("Microsoft.VSTS.Common.ClosedDate", "Closed Date", "dateTime"),
        new("Microsoft.VSTS.Common.AcceptanceCriteria", "Acceptance Criteria", "html"),
        new("Microsoft.VSTS.TCM.ReproSteps", "Repro Steps", "html"),
        new("Microsoft.VSTS.Scheduling.StoryPoints", "Story Points", "double"),
        new("Microsoft.VSTS.Scheduling.RemainingWork", "Remaining Work", "double"),
    ];

    public static readonly string[] Types = ["Bug", "Task", "User Story", "Feature", "Epic"];

    public static readonly string[] States = ["New", "Active", "Resolved", "Closed", "Removed"];

    /// <summary>A field by reference name or friendly name, case-insensitively.</summary>
    public static WorkItemField? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.ReferenceName, name, StringComparison.OrdinalIgnoreCase) || string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Identity fields are stored as "Display Name &lt;upn&gt;" (the form the service accepts and shows in events).</summary>
    public static string IdentityText(EmulatorUser user) => $"{user.DisplayName} <{user.UserPrincipalName}>";

    public static EmulatorUser? ResolveIdentity(EmulatorData data, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lt = text.LastIndexOf('<');
        var upn = lt >= 0 && text.EndsWith('>') ? text[(lt + 1)..^1] : text.Trim();
        return data.Users.FirstOrDefault(u =>
            string.Equals(u.UserPrincipalName, upn, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(u.DisplayName, text.Trim(), StringComparison.OrdinalIgnoreCase) ||
            (Guid.TryParse(upn, out var id) && u.Id == id));
    }

    /// <summary>Converts a patch value to the stored form of the field's type; returns an error message when it does not fit.</summary>
    public static (JsonNode? Value, string? Error) Coerce(EmulatorData data, WorkItemField field, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return (null, null);
        }

        var text = value.ValueKind == JsonValueKind.Object
            ? DevOpsJson.Str(value, "uniqueName") ?? DevOpsJson.Str(value, "id") ?? DevOpsJson.Str(value, "displayName")
            : DevOpsJson.Text(value);
        switch (field.Type)
        {
            case "integer":
                return long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
                    ? (JsonValue.Create(n), null)
                    : (null, $"TF401326: Invalid field status 'InvalidType' for field '{field.ReferenceName}'. The value '{text}' is not an integer.");
            case "double":
                return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)
                    ? (JsonValue.Create(x), null)
                    : (null, $"TF401326: Invalid field status 'InvalidType' for field '{field.ReferenceName}'. The value '{text}' is not a number.");
            case "dateTime":
                return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date)
                    ? (JsonValue.Create(DevOpsJson.IsoText(date)), null)
                    : (null, $"TF401326: Invalid field status 'InvalidType' for field '{field.ReferenceName}'. The value '{text}' is not a date.");
            case "identity":
                var user = ResolveIdentity(data, text);
                return string.IsNullOrWhiteSpace(text)
                    ? (null, null)
                    : user is null
                        ? (null, $"VS403132: The identity value '{text}' for field '{field.Name}' is an unknown identity.")
                        : (JsonValue.Create(IdentityText(user)), null);
            default:
                return (JsonValue.Create(text ?? string.Empty), null);
        }
    }
}
