using System.Text.Json.Nodes;

namespace AdoBridge.Emulator;

/// <summary>Seeds a few work items (User Story, Task, Bug) in project Fabrikam-Fiber-Git.</summary>
internal static class WorkItemSeed
{
    public static void Apply(EmulatorData data, EmulatorOrganization org, DateTimeOffset now)
    {
        var project = org.Projects.First(p => p.Name == EmulatorDefaults.Project);
        var alice = WorkItemFields.IdentityText(data.Users.First(u => u.Id == Guid.Parse(EmulatorDefaults.AliceId)));
        var bob = WorkItemFields.IdentityText(data.Users.First(u => u.Id == Guid.Parse(EmulatorDefaults.BobId)));
        Add(data, org, project, now.AddDays(-9), "User Story", "Customer can sign in", "Active", alice, alice, 1, "web; sign-in", "Fabrikam-Fiber-Git\\Web");
        Add(data, org, project, now.AddDays(-8), "Task", "Build the sign-in form", "Active", alice, alice, 2, "web", "Fabrikam-Fiber-Git\\Web");
        Add(data, org, project, now.AddDays(-7), "Bug", "Search returns stale results", "New", bob, null, 1, "search", "Fabrikam-Fiber-Git");
        Add(data, org, project, now.AddDays(-6), "Bug", "Crash on an empty cart", "Closed", bob, bob, 3, null, "Fabrikam-Fiber-Git\\Web");
        Add(data, org, project, now.AddDays(-5), "Task", "Write the O'Brien migration script", "New", alice, bob, 4, "data", "Fabrikam-Fiber-Git");
    }

    private static void Add(EmulatorData data, EmulatorOrganization org, EmulatorProject project, DateTimeOffset created, string type, string title, string state, string createdBy, string? assignedTo, int priority, string? tags, string area)
    {
        var id = data.NextId("workItem");
        var date = DevOpsJson.IsoText(created);
        var fields = new JsonObject
        {
            ["System.Id"] = id,
            ["System.Rev"] = 1,
            ["System.AreaPath"] = area,
            ["System.TeamProject"] = project.Name,
            ["System.IterationPath"] = $"{project.Name}\\Sprint 1",
            ["System.WorkItemType"] = type,
            ["System.State"] = state,
            ["System.Reason"] = type == "Bug" && state == "New" ? "New defect reported" : state == "Closed" ? "Fixed and verified" : "New",
            ["System.CreatedDate"] = date,
            ["System.CreatedBy"] = createdBy,
            ["System.ChangedDate"] = date,
            ["System.ChangedBy"] = createdBy,
            ["System.CommentCount"] = 0,
            ["System.Title"] = title,
            ["System.Description"] = $"<div>{System.Net.WebUtility.HtmlEncode(title)}.</div>",
            ["Microsoft.VSTS.Common.Priority"] = priority,
            ["Microsoft.VSTS.Common.StateChangeDate"] = date,
        };
        if (assignedTo is not null)
        {
            fields["System.AssignedTo"] = assignedTo;
        }

        if (tags is not null)
        {
            fields["System.Tags"] = tags;
        }

        data.WorkItems.Add(new WorkItemData { Id = id, Organization = org.Name, ProjectId = project.Id, Fields = fields });
    }
}
