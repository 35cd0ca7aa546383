using System.CommandLine;
using AdoBridge.Operations;

namespace AdoBridge.Cli.Commands;

/// <summary>`adobridge serve`: runs the server; every other option is the server's configuration (--urls, --Section:Key=value).</summary>
internal static class ServeCommand
{
    public const string Name = "serve";

    public static Command Create()
    {
        var command = new Command(Name, """
            Runs the AdoBridge server (the default when no command is given). Any other option is server configuration:
            --urls, --Section:Key=value, as in appsettings.json; ADOBRIDGE_CONFIG names a JSON file with the same shape.
            """)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((parse, _) => RunServerAsync(parse.UnmatchedTokens.ToArray()));
        return command.WithExamples(
            "adobridge serve",
            "adobridge serve --urls http://0.0.0.0:8080 --AdoBridge:PublicBaseUrl=https://adobridge.contoso.com",
            "ADOBRIDGE_CONFIG=/etc/adobridge.json adobridge serve");
    }

    public static Task<int> RunServerAsync(string[] args) => AdoBridgeApp.RunAsync(args);
}
