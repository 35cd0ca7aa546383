using System.CommandLine;
using AdoBridge.Cli.Output;

namespace AdoBridge.Cli;

/// <summary>Options every client command takes: which profile, and how to print.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Profile = new("--profile")
    {
        Description = "The profile (server and API key) to use; default: the one `adobridge profiles use` chose, or ADOBRIDGE_PROFILE. ADOBRIDGE_URL and ADOBRIDGE_API_KEY override it.",
        Recursive = true,
        HelpName = "name",
    };

    public static readonly Option<OutputFormat?> Output = new("--output", "-o")
    {
        Description = "table, json or yaml. Default: table on a terminal, json when stdout is piped or redirected.",
        Recursive = true,
        HelpName = "format",
    };

    /// <summary>The format asked for, or the default for where stdout goes.</summary>
    public static OutputFormat FormatOf(ParseResult parse)
        => parse.GetValue(Output) ?? (Terminal.StdoutIsTerminal ? OutputFormat.Table : OutputFormat.Json);
}
