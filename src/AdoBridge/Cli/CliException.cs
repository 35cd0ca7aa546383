namespace AdoBridge.Cli;

/// <summary>A failure the CLI explains itself: a stable code, what went wrong, how to fix it, and the exit code.</summary>
internal sealed class CliException(int exitCode, string code, string message, string? fix = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public string Code { get; } = code;

    public string? Fix { get; } = fix;

    public static CliException Usage(string code, string message, string? fix = null) => new(ExitCodes.Usage, code, message, fix);
}
