using System.CommandLine;
using AdoBridge.Cli.Output;
using AdoBridge.Client;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge events list|get|replay`: the event log of the key's environment (the live stream is `adobridge listen`).</summary>
internal static class EventsCommand
{
    private static readonly TableView Table = new(("ID", "id"), ("TYPE", "type"), ("CONNECTION", "connectionId"), ("PROJECT", "project"), ("STATUS", "status"), ("CREATED", "createdAt"));
    private static readonly TableView Replays = new(("EVENT", "eventId"), ("DELIVERIES", "deliveries"));

    public static Command Create()
    {
        var filters = new EventFilters();
        var paging = new ListOptions();
        var list = new Command("list", "Lists events, oldest first: lifecycle events (connection.*, app.*) and Azure DevOps events.");
        filters.AddTo(list);
        paging.AddTo(list);
        list.Action(async (context, parse, ct) =>
        {
            var query = filters.Query(parse) with { Limit = parse.GetValue(paging.Limit), Cursor = parse.GetValue(paging.Cursor) };
            var page = parse.GetValue(paging.All)
                ? new Page<AdoBridgeEvent>(await context.Client.Events.ListAllAsync(query, ct).ToListAsync(ct), null)
                : await context.Client.Events.ListAsync(query, ct);
            context.Output.Result(page, CliJsonContext.Default.PageAdoBridgeEvent, Table);
            return ExitCodes.Ok;
        });
        list.WithExamples("adobridge events list --type 'pull_request.*' --since 2026-12-01", "adobridge events list --status failed --all -o json");

        var id = new Argument<string>("event") { Description = "The event's id (evt_…)." };
        var get = new Command("get", "Shows one event: its data, the raw Azure DevOps payload, and every delivery with its attempts.") { id };
        get.Action(async (context, parse, ct) =>
        {
            context.Output.Result(await context.Client.Events.GetAsync(parse.GetValue(id)!, ct), CliJsonContext.Default.EventDetail);
            return ExitCodes.Ok;
        });
        get.WithExamples("adobridge events get evt_01J… -o json | jq .data");

        var ids = new Argument<string[]>("event") { Description = "The events to send again; without any, every event the filters match.", Arity = ArgumentArity.ZeroOrMore };
        var endpoint = new Option<string?>("--endpoint") { Description = "Only to this webhook endpoint (default: every endpoint that had it or matches it now).", HelpName = "id" };
        var replay = new Command("replay", """
            Sends events again with the same webhook-id: the ones named, or every event the filters match (at least one
            filter), with a progress bar on a terminal.
            """)
        {
            ids, endpoint,
        };
        filters.AddTo(replay);
        replay.Action(async (context, parse, ct) =>
        {
            var events = parse.GetValue(ids) ?? [];
            if (events.Length == 0)
            {
                if (!filters.AnyGiven(parse))
                {
                    throw CliException.Usage("replay_needs_selection", "Name the events to replay, or filter them (--type, --connection, --status, --since…).",
                        "e.g. `adobridge events replay --status failed --since 2026-12-01`.");
                }

                events = await context.Client.Events.ListAllAsync(filters.Query(parse), ct).Select(e => e.Id).ToArrayAsync(ct);
            }

            var results = new List<ReplayResult>();
            await context.Output.ProgressAsync("Replaying", events.Length, async step =>
            {
                foreach (var each in events)
                {
                    results.Add(await context.Client.Events.ReplayAsync(each, parse.GetValue(endpoint), ct));
                    step(each);
                }
            });
            if (context.Output.Format == OutputFormat.Table)
            {
                context.Output.Render(Replays.Render(System.Text.Json.JsonSerializer.SerializeToElement(
                    results.Select(r => new ReplayRow(r.EventId, r.Deliveries.Count)).ToList(), ReplayRowJson.Default.ListReplayRow)));
                context.Output.Success($"Replayed {results.Count} event(s).");
            }
            else if (parse.GetValue(ids) is { Length: 1 })
            {
                context.Output.Result(results[0], CliJsonContext.Default.ReplayResult);
            }
            else
            {
                context.Output.Result(new ItemList<ReplayResult>(results), CliJsonContext.Default.ItemListReplayResult);
            }

            return ExitCodes.Ok;
        });
        replay.WithExamples("adobridge events replay evt_01J…", "adobridge events replay --type 'pull_request.*' --status failed --since 2026-12-06");

        return new Command("events", "The event log: list, inspect and replay events (live: `adobridge listen`).") { list, get, replay }
            .WithExamples("adobridge events list --type 'pull_request.*'", "adobridge events replay evt_01J…");
    }

    private sealed class EventFilters
    {
        private readonly Option<string?> type = new("--type") { Description = "An event type, exact or with a wildcard (pull_request.*).", HelpName = "type" };
        private readonly Option<string?> connection = new("--connection") { Description = "Only this connection's events.", HelpName = "id" };
        private readonly Option<string?> status = new("--status") { Description = "Delivery status: pending, delivered, failed, dead or none.", HelpName = "status" };
        private readonly Option<DateTimeOffset?> since = new("--since") { Description = "Created at or after (ISO 8601, e.g. 2026-12-01 or 2026-12-01T09:00Z).", HelpName = "time" };
        private readonly Option<DateTimeOffset?> until = new("--until") { Description = "Created before.", HelpName = "time" };
        private readonly Option<string?> source = new("--source") { Description = "azure_devops or adobridge (lifecycle events).", HelpName = "source" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { type, connection, status, since, until, source })
            {
                command.Options.Add(option);
            }
        }

        public bool AnyGiven(ParseResult parse)
            => new Option[] { type, connection, status, since, until, source }.Any(o => parse.GetResult(o) is not null);

        public EventQuery Query(ParseResult parse) => new()
        {
            Type = parse.GetValue(type), ConnectionId = parse.GetValue(connection), Status = parse.GetValue(status),
            Since = parse.GetValue(since), Until = parse.GetValue(until), Source = parse.GetValue(source),
        };
    }
}

internal sealed record ReplayRow(string EventId, int Deliveries);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<ReplayRow>))]
internal sealed partial class ReplayRowJson : System.Text.Json.Serialization.JsonSerializerContext;
