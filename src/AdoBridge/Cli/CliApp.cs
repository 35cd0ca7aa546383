using System.CommandLine;
using System.CommandLine.Invocation;
using AdoBridge.Cli.Commands;

namespace AdoBridge.Cli;

/// <summary>
/// The `adobridge` executable: the server (`serve`, and what runs with no command, so `dotnet run` and old scripts keep
/// working) and the CLI that talks to a running server. Nothing of the web host is built unless the server runs.
/// </summary>
internal static class CliApp
{
    // Options of the CLI itself that may come before a command; anything else starting with '-' first is the server's.
    private static readonly string[] RootTokens = ["-h", "--help", "-?", "/?", "/h", "--version", "--profile", "-o", "--output"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (IsServerInvocation(args))
        {
            return await ServeCommand.RunServerAsync(args);
        }

        var root = Build();
        var parse = root.Parse(args);
        // The server handles Ctrl+C and SIGTERM itself, with a graceful shutdown; the parser's own handler would cut it short.
        var configuration = new InvocationConfiguration();
        if (parse.CommandResult.Command.Name == ServeCommand.Name)
        {
            configuration.ProcessTerminationTimeout = null;
        }

        if (parse.Action is ParseErrorAction)
        {
            // A usage error: say what was wrong and where help is, on stderr, and exit 2 (the parser's own default is 1).
            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync("error: usage: " + error.Message);
            }

            await configuration.Error.WriteLineAsync($"  fix: see `{string.Join(' ', CommandPath(parse.CommandResult.Command))} --help`.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration);
    }

    private static Stack<string> CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (Symbol? symbol = command; symbol is Command each; symbol = each.Parents.FirstOrDefault())
        {
            names.Push(each is RootCommand ? "adobridge" : each.Name);
        }

        return names;
    }

    /// <summary>No arguments, or server options (`--urls`, `--AdoBridge:…=…`) without a command: run the server, as before the CLI.</summary>
    public static bool IsServerInvocation(string[] args)
        => args.Length == 0 || (args[0].StartsWith('-') && !RootTokens.Contains(args[0].Split('=')[0], StringComparer.Ordinal));

    public static RootCommand Build()
    {
        var root = new RootCommand("""
            AdoBridge: the server and its CLI. With no command (or only server options such as --urls), runs the server.
            Client commands talk to a running server with an API key from `adobridge login` or ADOBRIDGE_URL and ADOBRIDGE_API_KEY.
            Exit codes: 0 ok, 1 error, 2 usage, 3 auth, 4 not found, 5 conflict.
            """);
        root.Options.Add(GlobalOptions.Profile);
        root.Options.Add(GlobalOptions.Output);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(LoginCommand.Create());
        root.Subcommands.Add(ProfilesCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(AppsCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(EnvironmentsCommand.Create());
        root.Subcommands.Add(ConnectionsCommand.Create());
        root.Subcommands.Add(ConnectCommand.Create());
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(AdoCommand.Create());
        root.Subcommands.Add(EventsCommand.Create());
        root.Subcommands.Add(DeliveriesCommand.Create());
        root.Subcommands.Add(EndpointsCommand.Create());
        root.Subcommands.Add(ListenCommand.Create());
        root.Subcommands.Add(TriggerCommand.Create());
        root.Subcommands.Add(CompletionCommand.Create());
        root.WithExamples(
            "adobridge serve --urls http://127.0.0.1:5080",
            "adobridge login --url http://127.0.0.1:5080 < key.txt",
            "adobridge connections list -o json");
        Examples.AddToHelp(root);
        return root;
    }
}
