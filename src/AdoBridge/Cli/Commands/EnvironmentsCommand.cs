using System.CommandLine;
using AdoBridge.Cli.Output;
using AdoBridge.Client;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge environments [list|create]` (owner key).</summary>
internal static class EnvironmentsCommand
{
    private static readonly TableView Table = new(("ID", "id"), ("NAME", "name"), ("CREATED", "createdAt"));

    public static Command Create()
    {
        var list = new Command("list", "Lists the environments (the default action of `adobridge environments`).");
        list.Action(ListAsync);
        list.WithExamples("adobridge environments list -o json");

        var id = new Argument<string>("id") { Description = "Lowercase letters, digits and '-', e.g. staging." };
        var name = new Option<string?>("--name") { Description = "A display name.", HelpName = "text" };
        var create = new Command("create", "Creates an environment, with its own connections and keys.") { id, name };
        create.Action(async (context, parse, ct) =>
        {
            context.Output.Result(await context.Client.Admin.Environments.CreateAsync(parse.GetValue(id)!, parse.GetValue(name), ct), CliJsonContext.Default.AdoBridgeEnvironment);
            return ExitCodes.Ok;
        });
        create.WithExamples("adobridge environments create staging --name Staging");

        var command = new Command("environments", "Environments (sandbox, production, …): each has its own connections and API keys. Needs an owner key.") { list, create };
        command.Action(ListAsync);
        return command.WithExamples("adobridge environments", "adobridge environments create staging");
    }

    private static async Task<int> ListAsync(CliContext context, System.CommandLine.ParseResult parse, CancellationToken ct)
    {
        context.Output.Result(new ItemList<AdoBridgeEnvironment>(await context.Client.Admin.Environments.ListAsync(ct)), CliJsonContext.Default.ItemListAdoBridgeEnvironment, Table);
        return ExitCodes.Ok;
    }
}
