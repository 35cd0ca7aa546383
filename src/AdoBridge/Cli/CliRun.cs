using System.CommandLine;

namespace AdoBridge.Cli;

/// <summary>Runs a client command with its context, and turns what it throws into an exit code and a message.</summary>
internal static class CliRun
{
    public static void Action(this Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> work)
        => command.SetAction((parse, ct) => RunAsync(parse, work, ct));

    public static async Task<int> RunAsync(ParseResult parse, Func<CliContext, ParseResult, CancellationToken, Task<int>> work, CancellationToken ct)
    {
        CliContext? context = null;
        try
        {
            context = new CliContext(parse);
            return await work(context, parse, ct);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return CliErrors.Report(e, context, parse.InvocationConfiguration.Error);
        }
        finally
        {
            context?.Dispose();
        }
    }
}
