using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>POST {org}[/{project}[/{team}]]/_apis/wit/wiql: runs a flat query over the organisation's work items and
/// answers the service's WorkItemQueryResult (columns, sortColumns, workItems as id + url), limited by $top.</summary>
internal static class WiqlEndpoint
{
    public static Task<IResult> Query(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, WorkItemStore.ReadScope, async call =>
        {
            if (call.HasRouteProject && call.RouteProject is null)
            {
                return call.ProjectNotFound();
            }

            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            var text = body.ValueKind == JsonValueKind.Object ? DevOpsJson.Str(body, "query") : null;
            if (string.IsNullOrWhiteSpace(text))
            {
                return DevOpsRoutes.BadRequest("Value cannot be null.\r\nParameter name: wiql.Query", "ArgumentNullException");
            }

            WiqlQuery query;
            try
            {
                query = WiqlParser.Parse(text);
            }
            catch (WiqlException ex)
            {
                return DevOpsRoutes.BadRequest(ex.Message, "VssServiceException");
            }

            return state.Read(d =>
            {
                var me = d.Users.FirstOrDefault(u => u.Id == call.Caller.Id);
                var evaluator = new WiqlEvaluator(d, me, call.RouteProject?.Name, call.Now);
                if (query.Links)
                {
                    return LinkAnswer(call, d, query, evaluator);
                }

                List<WorkItemData> matches;
                try
                {
                    matches = d.WorkItems
                        .Where(w => !w.IsDeleted && string.Equals(w.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase))
                        .Where(w => query.Where is null || evaluator.Matches(query.Where, w))
                        .ToList();
                }
                catch (WiqlException ex)
                {
                    return DevOpsRoutes.BadRequest(ex.Message, "VssServiceException");
                }

                matches.Sort((a, b) =>
                {
                    foreach (var sort in query.OrderBy)
                    {
                        var c = WiqlEvaluator.CompareForSort(sort.Field, a, b);
                        if (c != 0)
                        {
                            return sort.Descending ? -c : c;
                        }
                    }

                    return a.Id.CompareTo(b.Id);
                });

                var top = call.QueryInt("$top") is { } t and > 0 ? t : int.MaxValue;
                return DevOpsJson.Ok(new Dictionary<string, object?>
                {
                    ["queryType"] = "flat",
                    ["queryResultType"] = "workItem",
                    ["asOf"] = DevOpsJson.Iso(call.Now),
                    ["columns"] = query.Columns.Select(f => Column(call, f)).ToArray(),
                    ["sortColumns"] = query.OrderBy.Select(s => new Dictionary<string, object?> { ["field"] = Column(call, s.Field), ["descending"] = s.Descending }).ToArray(),
                    ["workItems"] = matches.Take(top).Select(w => new Dictionary<string, object?> { ["id"] = w.Id, ["url"] = WorkItemJson.Url(call.OrgUrl, w.Id) }).ToArray(),
                });
            });
        });

    private static IResult LinkAnswer(DevOpsCall call, EmulatorData d, WiqlQuery query, WiqlEvaluator evaluator)
    {
        var items = d.WorkItems.Where(w => !w.IsDeleted && string.Equals(w.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        List<(string? Rel, WorkItemData? Source, WorkItemData Target)> rows;
        try
        {
            rows = WiqlLinkResults.Evaluate(query, evaluator, items, (a, b) =>
            {
                foreach (var sort in query.OrderBy)
                {
                    var c = WiqlEvaluator.CompareForSort(sort.Field, a, b);
                    if (c != 0)
                    {
                        return sort.Descending ? -c : c;
                    }
                }

                return a.Id.CompareTo(b.Id);
            });
        }
        catch (WiqlException ex)
        {
            return DevOpsRoutes.BadRequest(ex.Message, "VssServiceException");
        }

        var top = call.QueryInt("$top") is { } t and > 0 ? t : int.MaxValue;
        Dictionary<string, object?> Ref(WorkItemData w) => new() { ["id"] = w.Id, ["url"] = WorkItemJson.Url(call.OrgUrl, w.Id) };
        return DevOpsJson.Ok(new Dictionary<string, object?>
        {
            ["queryType"] = query.Mode == "Recursive" ? "tree" : "oneHop",
            ["queryResultType"] = "workItemLink",
            ["asOf"] = DevOpsJson.Iso(call.Now),
            ["columns"] = query.Columns.Select(f => Column(call, f)).ToArray(),
            ["sortColumns"] = query.OrderBy.Select(s => new Dictionary<string, object?> { ["field"] = Column(call, s.Field), ["descending"] = s.Descending }).ToArray(),
            // A source's own row has no rel and no source (null members are left out, as in the service's answers).
            ["workItemRelations"] = rows.Take(top).Select(r => new Dictionary<string, object?>
            {
                ["rel"] = r.Rel,
                ["source"] = r.Source is null ? null : Ref(r.Source),
                ["target"] = Ref(r.Target),
            }).ToArray(),
        });
    }

    private static Dictionary<string, object?> Column(DevOpsCall call, WorkItemField field) => new()
    {
        ["referenceName"] = field.ReferenceName,
        ["name"] = field.Name,
        ["url"] = $"{call.OrgUrl}/_apis/wit/fields/{field.ReferenceName}",
    };
}
