using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>The Agile process as the REST API describes it: work item types (with their states and transitions),
/// each type's states, and the fields.</summary>
internal static class WorkItemTypesEndpoints
{
    private sealed record StateInfo(string Name, string Color, string Category);

    private sealed record TypeInfo(string Name, string ReferenceName, string Color, string Icon, string Description, string[] States);

    private static readonly StateInfo[] AllStates =
    [
        new("New", "b2b2b2", "Proposed"),
        new("Active", "007acc", "InProgress"),
        new("Resolved", "ff9d00", "Resolved"),
        new("Closed", "339933", "Completed"),
        new("Removed", "ffffff", "Removed"),
    ];

    private static readonly TypeInfo[] TypeInfos =
    [
        new("Bug", "Microsoft.VSTS.WorkItemTypes.Bug", "CC293D", "icon_insect", "Describes a divergence between required and actual behavior, and tracks the work done to correct the defect and verify the correction.", ["New", "Active", "Resolved", "Closed"]),
        new("Task", "Microsoft.VSTS.WorkItemTypes.Task", "F2CB1D", "icon_clipboard", "Tracks work that needs to be done.", ["New", "Active", "Closed", "Removed"]),
        new("User Story", "Microsoft.VSTS.WorkItemTypes.UserStory", "009CCC", "icon_book", "Tracks an activity the user will be able to perform with the product.", ["New", "Active", "Resolved", "Closed", "Removed"]),
        new("Feature", "Microsoft.VSTS.WorkItemTypes.Feature", "773B93", "icon_trophy", "Tracks a feature that will be released with the product.", ["New", "Active", "Resolved", "Closed", "Removed"]),
        new("Epic", "Microsoft.VSTS.WorkItemTypes.Epic", "FF7B00", "icon_crown", "Epics help teams effectively manage and groom their product backlog.", ["New", "Active", "Resolved", "Closed", "Removed"]),
    ];

    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call => call.RouteProject is not { } project
            ? call.ProjectNotFound()
            : call.List(TypeInfos.Select(t => Type(call, project, t)).ToArray()));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call =>
        {
            if (call.RouteProject is not { } project)
            {
                return call.ProjectNotFound();
            }

            var type = Find(call);
            return type is null ? TypeNotFound(call, project) : DevOpsJson.Ok(Type(call, project, type));
        });

    public static IResult States(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call =>
        {
            if (call.RouteProject is not { } project)
            {
                return call.ProjectNotFound();
            }

            var type = Find(call);
            return type is null ? TypeNotFound(call, project) : call.List(StatesOf(type).ToArray());
        });

    public static IResult Fields(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call =>
            call.HasRouteProject && call.RouteProject is null ? call.ProjectNotFound() : call.List(WorkItemFields.All.Select(f => Field(call, f)).ToArray()));

    public static IResult FieldGet(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call =>
        {
            var name = call.Route("field")!;
            return WorkItemFields.Find(name) is { } field
                ? DevOpsJson.Ok(Field(call, field))
                : DevOpsRoutes.NotFound("WorkItemTrackingFieldDefinitionNotFoundException", $"TF51535: Cannot find field {name}.");
        });

    private static TypeInfo? Find(DevOpsCall call)
    {
        var name = call.Route("type")!;
        return TypeInfos.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || t.ReferenceName.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    private static IResult TypeNotFound(DevOpsCall call, EmulatorProject project) =>
        DevOpsRoutes.NotFound("WorkItemTypeNotFoundException", $"VS402323: Work item type {call.Route("type")} does not exist in project {project.Name} or you do not have permission to access it.");

    private static IEnumerable<Dictionary<string, object?>> StatesOf(TypeInfo type) =>
        type.States.Select(name => AllStates.First(s => s.Name == name)).Select(s => new Dictionary<string, object?> { ["name"] = s.Name, ["color"] = s.Color, ["category"] = s.Category });

    private static Dictionary<string, object?> Type(DevOpsCall call, EmulatorProject project, TypeInfo t)
    {
        var url = $"{call.OrgUrl}/{project.Id}/_apis/wit/workItemTypes/{Uri.EscapeDataString(t.Name)}";
        var fields = WorkItemFields.All.Select(f => new Dictionary<string, object?>
        {
            ["alwaysRequired"] = f.ReferenceName is "System.Title" or "System.State",
            ["referenceName"] = f.ReferenceName,
            ["name"] = f.Name,
            ["url"] = $"{call.OrgUrl}/_apis/wit/fields/{f.ReferenceName}",
        }).ToArray();

        // Every state can move to every other one here (the Agile process allows most moves; the emulator checks only names).
        var transitions = new Dictionary<string, object?> { [string.Empty] = new[] { new Dictionary<string, object?> { ["to"] = t.States[0], ["actions"] = null } } };
        foreach (var from in t.States)
        {
            transitions[from] = t.States.Where(to => to != from).Select(to => new Dictionary<string, object?> { ["to"] = to, ["actions"] = null }).ToArray();
        }

        return new Dictionary<string, object?>
        {
            ["name"] = t.Name,
            ["referenceName"] = t.ReferenceName,
            ["description"] = t.Description,
            ["color"] = t.Color,
            ["icon"] = new Dictionary<string, object?> { ["id"] = t.Icon, ["url"] = $"{call.OrgUrl}/_apis/wit/workItemIcons/{t.Icon}?color={t.Color}&v=2" },
            ["isDisabled"] = false,
            ["xmlForm"] = XmlForm,
            ["fieldInstances"] = fields,
            ["fields"] = fields,
            ["transitions"] = transitions,
            ["states"] = StatesOf(t).ToArray(),
            ["_links"] = new Dictionary<string, object> { ["self"] = DevOpsJson.Href(url) },
            ["url"] = url,
        };
    }

    /// <summary>The type's legacy XML form (wit/7.1 WorkItemType.xmlForm): one control per field, which is what clients
    /// that read it look for (FieldName); the service's real forms add layout groups the emulator has no use for.</summary>
    private static readonly string XmlForm = "<FORM><Layout><Group><Column PercentWidth=\"100\">"
        + string.Concat(WorkItemFields.All.Select(f => $"<Control Label=\"{System.Security.SecurityElement.Escape(f.Name)}\" LabelPosition=\"Left\" FieldName=\"{f.ReferenceName}\" Type=\"FieldControl\" />"))
        + "</Column></Group></Layout></FORM>";

    private static Dictionary<string, object?> Field(DevOpsCall call, WorkItemField f)
    {
        var isIdentity = f.Type == "identity";
        return new Dictionary<string, object?>
        {
            ["name"] = f.Name,
            ["referenceName"] = f.ReferenceName,
            ["type"] = isIdentity ? "string" : f.Type,
            ["usage"] = "workItem",
            ["readOnly"] = f.ReadOnly,
            ["canSortBy"] = f.Type is not ("html" or "history" or "plainText"),
            ["isQueryable"] = true,
            ["supportedOperations"] = Operations(f).Select(o => new Dictionary<string, object?> { ["referenceName"] = o.Reference, ["name"] = o.Name }).ToArray(),
            ["isIdentity"] = isIdentity,
            ["isPicklist"] = false,
            ["isPicklistSuggested"] = false,
            ["url"] = $"{call.OrgUrl}/_apis/wit/fields/{f.ReferenceName}",
        };
    }

    private static (string Reference, string Name)[] Operations(WorkItemField f) => f.Type switch
    {
        "html" or "history" or "plainText" => [("SupportedOperations.ContainsWords", "Contains Words"), ("SupportedOperations.NotContainsWords", "Does Not Contain Words")],
        "treePath" => [("SupportedOperations.Equals", "="), ("SupportedOperations.NotEquals", "<>"), ("SupportedOperations.Under", "Under"), ("SupportedOperations.NotUnder", "Not Under")],
        "integer" or "double" or "dateTime" => [("SupportedOperations.Equals", "="), ("SupportedOperations.NotEquals", "<>"), ("SupportedOperations.GreaterThan", ">"), ("SupportedOperations.LessThan", "<"), ("SupportedOperations.GreaterThanEquals", ">="), ("SupportedOperations.LessThanEquals", "<="), ("SupportedOperations.In", "In")],
        _ => [("SupportedOperations.Equals", "="), ("SupportedOperations.NotEquals", "<>"), ("SupportedOperations.Contains", "Contains"), ("SupportedOperations.NotContains", "Does Not Contain"), ("SupportedOperations.In", "In")],
    };
}
