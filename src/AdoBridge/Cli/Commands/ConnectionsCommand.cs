using System.CommandLine;
using AdoBridge.Cli.Output;
using AdoBridge.Client;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge connections list|get|delete|refresh`: the connections of the key's environment.</summary>
internal static class ConnectionsCommand
{
    public static readonly TableView Table = new(("ID", "id"), ("STATUS", "status"), ("END USER", "endUserId"), ("APP", "app"), ("AUTH", "authType"),
        ("ORGANIZATIONS", "organizations"), ("UPDATED", "updatedAt"));

    public static Command Create()
    {
        var endUser = new Option<string?>("--end-user") { Description = "Only this end user's connections.", HelpName = "id" };
        var status = new Option<string?>("--status") { Description = "active, refreshing, needs_reauth, revoked or error.", HelpName = "status" };
        var app = new Option<string?>("--app") { Description = "Only connections signing in with this app.", HelpName = "name" };
        var authType = new Option<string?>("--auth-type") { Description = "entra, legacy, pat or service-principal.", HelpName = "type" };
        var paging = new ListOptions();
        var list = new Command("list", "Lists connections, oldest first.") { endUser, status, app, authType };
        paging.AddTo(list);
        list.Action(async (context, parse, ct) =>
        {
            var query = new ConnectionQuery
            {
                EndUserId = parse.GetValue(endUser), Status = parse.GetValue(status), App = parse.GetValue(app), AuthType = parse.GetValue(authType),
                Limit = parse.GetValue(paging.Limit), Cursor = parse.GetValue(paging.Cursor),
            };
            var page = parse.GetValue(paging.All)
                ? new Page<Connection>(await context.Client.Connections.ListAllAsync(query, ct).ToListAsync(ct), null)
                : await context.Client.Connections.ListAsync(query, ct);
            context.Output.Result(page, CliJsonContext.Default.PageConnection, Table);
            return ExitCodes.Ok;
        });
        list.WithExamples("adobridge connections list", "adobridge connections list --status needs_reauth --all -o json");

        var id = new Argument<string>("connection") { Description = "The connection's id (conn_…)." };
        var get = new Command("get", "Shows one connection: status and why, end user, organisations, identity, token expiry.") { id };
        get.Action(async (context, parse, ct) =>
        {
            context.Output.Result(await context.Client.Connections.GetAsync(parse.GetValue(id)!, ct), CliJsonContext.Default.Connection);
            return ExitCodes.Ok;
        });
        get.WithExamples("adobridge connections get conn_01J…", "adobridge connections get conn_01J… -o json | jq -r .status");

        var delete = new Command("delete", "Deletes a connection and its stored secrets.") { id };
        delete.Action(async (context, parse, ct) =>
        {
            await context.Client.Connections.DeleteAsync(parse.GetValue(id)!, ct);
            context.Output.Success($"Connection {parse.GetValue(id)} deleted.");
            return ExitCodes.Ok;
        });
        delete.WithExamples("adobridge connections delete conn_01J…");

        var refresh = new Command("refresh", "Renews the connection's access token now and shows the connection.") { id };
        refresh.Action(async (context, parse, ct) =>
        {
            context.Output.Result(await context.Client.Connections.RefreshAsync(parse.GetValue(id)!, ct), CliJsonContext.Default.Connection);
            return ExitCodes.Ok;
        });
        refresh.WithExamples("adobridge connections refresh conn_01J…");

        return new Command("connections", "Connections of the key's environment: one per end user (or service identity) and organisation set.") { list, get, delete, refresh }
            .WithExamples("adobridge connections list", "adobridge connections get conn_01J…");
    }
}
