using System.CommandLine;
using AdoBridge.Cli.Output;
using AdoBridge.Cli.Profiles;
using AdoBridge.Client;
using Spectre.Console;

namespace AdoBridge.Cli.Commands;

/// <summary>
/// `adobridge login`: saves a server's URL and API key as a profile, after checking the key against the server. The key is
/// read from stdin or a hidden prompt, never from an argument (shell history and `ps` would show it).
/// </summary>
internal static class LoginCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = $"AdoBridge's base URL; default: the profile's, ADOBRIDGE_URL, or {CliContext.DefaultUrl}.", HelpName = "url" };
        // Declared only to refuse them with the reason: a key on the command line ends up in shell history and in `ps`.
        var keyArgument = new Option<string?>("--api-key", "--key", "--token") { Hidden = true };
        var makeDefault = new Option<bool>("--default") { Description = "Make this profile the default one (the first profile always is)." };
        var command = new Command("login", """
            Checks an API key against AdoBridge and saves it with the URL as a profile (default: 'default'), in a file only
            you can read. The key comes from stdin when it is piped, otherwise from a hidden prompt; never as an argument.
            """)
        {
            url, keyArgument, makeDefault,
        };
        command.Action(async (context, parse, ct) =>
        {
            if (parse.GetResult(keyArgument) is not null)
            {
                throw CliException.Usage("key_as_argument", "The API key is not accepted as an argument: it would be kept in your shell history and shown by `ps`.",
                    "Pipe it in (`adobridge login < key.txt`, `pass show adobridge | adobridge login`) or type it at the prompt; or set ADOBRIDGE_API_KEY.");
            }

            var store = context.Profiles;
            var file = store.Load();
            var name = context.ProfileName ?? file.Default ?? ProfileStore.DefaultName;
            file.Profiles.TryGetValue(name, out var existing);
            var baseUrl = CliContext.ParseUrl(parse.GetValue(url) ?? Environment.GetEnvironmentVariable(CliContext.UrlVariable) ?? existing?.Url ?? CliContext.DefaultUrl);
            var key = ReadKey(context.Output, baseUrl);

            var client = new AdoBridgeClient(context.Http, new AdoBridgeClientOptions { BaseAddress = baseUrl, ApiKey = key });
            await client.Connections.ListAsync(new ConnectionQuery { Limit = 1 }, ct);

            file.Profiles[name] = new ServerProfile { Url = baseUrl.AbsoluteUri.TrimEnd('/'), ApiKey = key };
            if (file.Default is null || parse.GetValue(makeDefault))
            {
                file.Default = name;
            }

            store.Save(file);
            context.Output.Success($"Logged in to {baseUrl.AbsoluteUri.TrimEnd('/')} with key {ServerProfile.KeyHint(key)}; saved as profile '{name}' in {store.Path}.");
            return ExitCodes.Ok;
        });
        return command.WithExamples(
            "adobridge login                                   # prompts for the key",
            "adobridge login --url https://adobridge.contoso.com --profile prod < key.txt",
            "echo \"$ADOBRIDGE_KEY\" | adobridge login --url http://127.0.0.1:5080");
    }

    private static string ReadKey(CliOutput output, Uri url)
    {
        string? key;
        if (!Terminal.StdinIsTerminal)
        {
            key = Console.In.ReadToEnd();
        }
        else if (CliOutput.Interactive)
        {
            key = output.Messages.Prompt(new TextPrompt<string>($"API key for {Markup.Escape(url.AbsoluteUri.TrimEnd('/'))}:").Secret());
        }
        else
        {
            throw CliException.Usage("no_key_input", "No API key: stdin is a terminal but nobody can answer a prompt.", "Pipe the key in: `adobridge login < key.txt`.");
        }

        key = key?.Trim();
        return string.IsNullOrEmpty(key)
            ? throw CliException.Usage("empty_key", "The API key was empty.", "Pipe the key (adbk_…) in, or type it at the prompt.")
            : key;
    }
}
