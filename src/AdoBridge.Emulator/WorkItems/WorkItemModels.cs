using System.Text.Json.Nodes;

namespace AdoBridge.Emulator;

/// <summary>A work item: its fields by reference name (identity fields hold "Display Name &lt;upn&gt;"), revision and comments.</summary>
internal sealed class WorkItemData
{
    public int Id { get; set; }
    public string Organization { get; set; } = "";
    public Guid ProjectId { get; set; }
    public int Rev { get; set; } = 1;
    public JsonObject Fields { get; set; } = [];
    public List<JsonObject> Relations { get; set; } = [];
    public List<WorkItemCommentData> Comments { get; set; } = [];
    public bool IsDeleted { get; set; }
    public DateTimeOffset? DeletedDate { get; set; }
    public Guid? DeletedBy { get; set; }

    /// <summary>Each revision as it was saved (create, then every update), for the updates and revisions APIs.</summary>
    public List<WorkItemRevisionData> Revisions { get; set; } = [];
}

/// <summary>A work item as one revision left it: its fields (with System.History when the update carried one) and relations.</summary>
internal sealed class WorkItemRevisionData
{
    public int Rev { get; set; }
    public JsonObject Fields { get; set; } = [];
    public List<JsonObject> Relations { get; set; } = [];
    public Guid RevisedBy { get; set; }
    public DateTimeOffset RevisedDate { get; set; }
}

internal sealed class WorkItemCommentData
{
    public int Id { get; set; }
    public int Version { get; set; } = 1;
    public string Text { get; set; } = "";
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedDate { get; set; }
    public Guid ModifiedBy { get; set; }
    public DateTimeOffset ModifiedDate { get; set; }
    public bool IsDeleted { get; set; }
}
