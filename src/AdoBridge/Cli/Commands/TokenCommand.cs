using System.CommandLine;
using AdoBridge.Cli.Output;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge token CONNECTION`: a valid access token (or PAT) on stdout and nothing else, for scripts; the server audits it.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("connection") { Description = "The connection's id (conn_…)." };
        var command = new Command("token", "Prints a valid access token for the connection (renewed first if needed) on stdout, alone; -o json prints it with its type and expiry. Audited by the server.") { id };
        command.Action(async (context, parse, ct) =>
        {
            var token = await context.Client.Connections.GetAccessTokenAsync(parse.GetValue(id)!, ct);
            if (parse.GetValue(GlobalOptions.Output) is OutputFormat.Json or OutputFormat.Yaml)
            {
                context.Output.Result(token, CliJsonContext.Default.AccessToken);
            }
            else
            {
                await context.Output.Stdout.WriteLineAsync(token.Token);
            }

            return ExitCodes.Ok;
        });
        return command.WithExamples(
            "adobridge token conn_01J…",
            "curl -H \"Authorization: Bearer $(adobridge token conn_01J…)\" https://dev.azure.com/fabrikam/_apis/projects",
            "adobridge token conn_01J… -o json");
    }
}
