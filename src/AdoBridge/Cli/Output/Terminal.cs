namespace AdoBridge.Cli.Output;

/// <summary>What the process is attached to; colour, spinners and prompts only where a person is watching.</summary>
internal static class Terminal
{
    public static bool StdoutIsTerminal => !Console.IsOutputRedirected;

    public static bool StderrIsTerminal => !Console.IsErrorRedirected;

    public static bool StdinIsTerminal => !Console.IsInputRedirected;
}
