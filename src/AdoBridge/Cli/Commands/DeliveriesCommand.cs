using System.CommandLine;
using AdoBridge.Cli.Output;
using AdoBridge.Client;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge deliveries list`: the deliveries of events to webhook endpoints, with their status and last attempt.</summary>
internal static class DeliveriesCommand
{
    private static readonly TableView Table = new(("ID", "id"), ("EVENT", "eventId"), ("ENDPOINT", "endpointId"), ("STATUS", "status"), ("ATTEMPTS", "attemptCount"),
        ("LAST STATUS", "lastStatusCode"), ("LAST ERROR", "lastError"), ("CREATED", "createdAt"));

    public static Command Create()
    {
        var endpoint = new Option<string?>("--endpoint") { Description = "Only deliveries to this endpoint.", HelpName = "id" };
        var eventId = new Option<string?>("--event") { Description = "Only deliveries of this event.", HelpName = "id" };
        var status = new Option<string?>("--status") { Description = "pending, failed, succeeded or dead.", HelpName = "status" };
        var paging = new ListOptions();
        var list = new Command("list", "Lists deliveries, oldest first.") { endpoint, eventId, status };
        paging.AddTo(list);
        list.Action(async (context, parse, ct) =>
        {
            var query = new DeliveryQuery
            {
                EndpointId = parse.GetValue(endpoint), EventId = parse.GetValue(eventId), Status = parse.GetValue(status),
                Limit = parse.GetValue(paging.Limit), Cursor = parse.GetValue(paging.Cursor),
            };
            var page = parse.GetValue(paging.All) ? new Page<EventDelivery>(await AllAsync(context.Client, query, ct), null) : await context.Client.Events.ListDeliveriesAsync(query, ct);
            context.Output.Result(page, CliJsonContext.Default.PageEventDelivery, Table);
            return ExitCodes.Ok;
        });
        list.WithExamples("adobridge deliveries list --status failed", "adobridge deliveries list --endpoint whe_01J… --all -o json");
        return new Command("deliveries", "Deliveries of events to your webhook endpoints.") { list }.WithExamples("adobridge deliveries list --status dead");
    }

    private static async Task<List<EventDelivery>> AllAsync(AdoBridgeClient client, DeliveryQuery query, CancellationToken ct)
    {
        var all = new List<EventDelivery>();
        while (true)
        {
            var page = await client.Events.ListDeliveriesAsync(query, ct);
            all.AddRange(page.Items);
            if (page.NextCursor is null || page.NextCursor == query.Cursor)
            {
                return all;
            }

            query = query with { Cursor = page.NextCursor };
        }
    }
}
