using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Area and iteration paths of a project (classification nodes): the roots with $depth, or one node by
/// structure group (Areas, Iterations) and path. Each project has areas Web and Service and three two-week sprints.</summary>
internal static class ClassificationNodesEndpoints
{
    private sealed record Node(int Id, string Name, string Group, string? Parent, DateTimeOffset? Start, DateTimeOffset? Finish);

    public static IResult Roots(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call =>
        {
            if (call.RouteProject is not { } project)
            {
                return call.ProjectNotFound();
            }

            var depth = call.QueryInt("$depth") ?? 0;
            var nodes = Nodes(project);
            if (WorkItemStore.ParseIds(call.Query("ids")) is { Count: > 0 } ids)
            {
                return call.List(nodes.Where(n => ids.Contains(n.Id)).Select(n => Json(call, project, nodes, n, depth)).ToArray());
            }

            return call.List(nodes.Where(n => n.Parent is null).Select(n => Json(call, project, nodes, n, depth)).ToArray());
        });

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, WorkItemStore.ReadScope, call =>
        {
            if (call.RouteProject is not { } project)
            {
                return call.ProjectNotFound();
            }

            var group = call.Route("structureGroup")!;
            var kind = group.Equals("areas", StringComparison.OrdinalIgnoreCase) ? "Areas" : group.Equals("iterations", StringComparison.OrdinalIgnoreCase) ? "Iterations" : null;
            if (kind is null)
            {
                return DevOpsRoutes.BadRequest($"The structure group '{group}' is not valid. Use Areas or Iterations.", "ArgumentException");
            }

            var nodes = Nodes(project);
            var path = (call.Route("path") ?? string.Empty).Trim('/').Replace('/', '\\');
            var node = path.Length == 0
                ? nodes.First(n => n.Group == kind && n.Parent is null)
                : nodes.FirstOrDefault(n => n.Group == kind && n.Parent is not null && n.Name.Equals(path, StringComparison.OrdinalIgnoreCase));
            return node is null
                ? DevOpsRoutes.NotFound("ClassificationNodeDoesNotExistException", $"VS402485: The node \\{project.Name}\\{(kind == "Areas" ? "Area" : "Iteration")}\\{path} does not exist.")
                : DevOpsJson.Ok(Json(call, project, nodes, node, call.QueryInt("$depth") ?? 0));
        });

    private static List<Node> Nodes(EmulatorProject project)
    {
        var sprintStart = new DateTimeOffset(project.LastUpdateTime.UtcDateTime.Date, TimeSpan.Zero);
        return
        [
            new(NodeId(project, "area"), project.Name, "Areas", null, null, null),
            new(NodeId(project, "area:Web"), "Web", "Areas", project.Name, null, null),
            new(NodeId(project, "area:Service"), "Service", "Areas", project.Name, null, null),
            new(NodeId(project, "iteration"), project.Name, "Iterations", null, null, null),
            .. Enumerable.Range(1, 3).Select(n => new Node(NodeId(project, $"iteration:{n}"), $"Sprint {n}", "Iterations", project.Name, sprintStart.AddDays(14 * (n - 1)), sprintStart.AddDays((14 * n) - 3))),
        ];
    }

    private static int NodeId(EmulatorProject project, string name) => (int)(BitConverter.ToUInt32(Secrets.StableGuid($"node:{project.Id}:{name}").ToByteArray(), 0) % 100000) + 1;

    private static Dictionary<string, object?> Json(DevOpsCall call, EmulatorProject project, List<Node> nodes, Node node, int depth)
    {
        var children = nodes.Where(n => n.Group == node.Group && n.Parent is not null && node.Parent is null).ToList();
        var structure = node.Group == "Areas" ? "area" : "iteration";
        var path = $"\\{project.Name}\\{(node.Group == "Areas" ? "Area" : "Iteration")}" + (node.Parent is null ? string.Empty : "\\" + node.Name);
        var root = $"{call.OrgUrl}/{project.Id}/_apis/wit/classificationNodes/{node.Group}";
        var url = node.Parent is null ? root : $"{root}/{Uri.EscapeDataString(node.Name)}";
        var links = new Dictionary<string, object> { ["self"] = DevOpsJson.Href(url) };
        if (node.Parent is not null)
        {
            links["parent"] = DevOpsJson.Href(root);
        }

        return new Dictionary<string, object?>
        {
            ["id"] = node.Id,
            ["identifier"] = Secrets.StableGuid($"node:{project.Id}:{node.Group}:{node.Name}"),
            ["name"] = node.Name,
            ["structureType"] = structure,
            ["hasChildren"] = children.Count > 0,
            ["children"] = depth > 0 && children.Count > 0 ? children.Select(c => Json(call, project, nodes, c, depth - 1)).ToArray() : null,
            ["path"] = path,
            ["attributes"] = node.Start is { } start ? new Dictionary<string, object?> { ["startDate"] = DevOpsJson.Iso(start), ["finishDate"] = DevOpsJson.Iso(node.Finish!.Value) } : null,
            ["_links"] = links,
            ["url"] = url,
        };
    }
}
