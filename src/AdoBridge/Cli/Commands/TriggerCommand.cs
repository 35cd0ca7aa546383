using System.CommandLine;
using AdoBridge.Cli.Output;

namespace AdoBridge.Cli.Commands;

/// <summary>
/// `adobridge trigger EVENT`: in sandbox mode, makes the emulator do the real thing (a branch, a commit, a pull request, a
/// work item…), so the whole chain runs: service hook, ingest, event, delivery and any running `listen`.
/// </summary>
internal static class TriggerCommand
{
    private static readonly string[] Events =
    [
        "pull_request.created", "pull_request.updated", "pull_request.merged", "pull_request.commented", "git.push",
        "work_item.created", "work_item.updated", "work_item.commented", "work_item.deleted",
    ];

    public static Command Create()
    {
        var type = new Argument<string>("event") { Description = "The event to make happen: " + string.Join(", ", Events) + "." };
        type.AcceptOnlyFromAmong(Events);
        var connection = new Option<string?>("--connection") { Description = "The connection whose subscription hears it (default: a sandbox connection of the key's environment, made with the sandbox PAT if there is none).", HelpName = "id" };
        var command = new Command("trigger", "Sandbox mode only: makes the bundled emulator do what the event says through its REST API, subscribing the connection's project first if nothing covers the event, and waits until AdoBridge has stored the event.") { type, connection };
        command.Action(async (context, parse, ct) =>
        {
            var eventType = parse.GetValue(type)!;
            var result = await context.Output.SpinAsync($"Making {eventType} happen in the emulator…",
                _ => context.Client.TriggerSandboxEventAsync(eventType, parse.GetValue(connection), ct));
            if (context.Output.Format is OutputFormat.Table)
            {
                foreach (var step in result.Steps)
                {
                    context.Output.Note("  " + step);
                }

                if (result.ConnectionCreated)
                {
                    context.Output.Note($"  (made connection {result.ConnectionId} with the sandbox PAT)");
                }

                if (result.SubscriptionCreated)
                {
                    context.Output.Note($"  (subscribed {result.Project} to {eventType}: {result.SubscriptionId})");
                }
            }

            context.Output.Result(result, CliJsonContext.Default.SandboxTriggerResult);
            if (result.EventId is null)
            {
                context.Output.Warning("Azure DevOps' notification had not reached AdoBridge within 10 s; see `adobridge events list` in a moment.");
            }

            return ExitCodes.Ok;
        });
        return command.WithExamples(
            "adobridge trigger pull_request.created",
            "adobridge trigger work_item.updated --connection conn_01J… -o json");
    }
}
