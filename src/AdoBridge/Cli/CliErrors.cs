using System.Net.Sockets;
using AdoBridge.Client;

namespace AdoBridge.Cli;

/// <summary>Turns a failure into its exit code and a message on stderr: the problem's code, what went wrong, and the fix.</summary>
internal static class CliErrors
{
    public static int Report(Exception e, CliContext? context, TextWriter stderr)
    {
        switch (e)
        {
            case CliException cli:
                Write(stderr, cli.Code, cli.Message, cli.Fix);
                return cli.ExitCode;
            case AdoBridgeApiException api:
                Write(stderr, api.Code, $"{api.Detail ?? api.Title} ({api.Status})", FixFor(api));
                foreach (var error in api.Errors)
                {
                    stderr.WriteLine($"  {(error.Field.Length > 0 ? error.Field + ": " : string.Empty)}{error.Message}{(error.Code is null ? string.Empty : " [" + error.Code + "]")}");
                    if (error.Fix is not null)
                    {
                        stderr.WriteLine("    fix: " + error.Fix);
                    }
                }

                return ExitCodes.ForStatus(api.Status);
            case HttpRequestException http:
                var where = SafeUrl(context);
                Write(stderr, "server_unreachable", $"Cannot reach AdoBridge at {where}: {Reason(http)}.",
                    "Is the server running? Start it with `adobridge serve`, or point the CLI at it with --profile, `adobridge login --url …` or ADOBRIDGE_URL.");
                return ExitCodes.Error;
            case TaskCanceledException or TimeoutException:
                Write(stderr, "timeout", $"AdoBridge at {SafeUrl(context)} did not answer in time.", "Check the server's health (`adobridge doctor`) and try again.");
                return ExitCodes.Error;
            case OperationCanceledException:
                stderr.WriteLine("Cancelled.");
                return 130;
            case IOException or UnauthorizedAccessException:
                Write(stderr, "io_error", e.Message, null);
                return ExitCodes.Error;
            default:
                // No stack trace for a person: the message, and where to report it.
                Write(stderr, "unexpected_error", $"{e.GetType().Name}: {e.Message}", "Try again; if it persists, report it with the command you ran.");
                return ExitCodes.Error;
        }
    }

    public static void Write(TextWriter stderr, string code, string message, string? fix)
    {
        stderr.WriteLine($"error: {code}: {message}");
        if (fix is not null)
        {
            stderr.WriteLine("  fix: " + fix);
        }
    }

    private static string? FixFor(AdoBridgeApiException api) => api.Code switch
    {
        "unauthorized" or "invalid_api_key" or "missing_api_key" => "Log in again with a valid key: `adobridge login` (the key from stdin or a prompt), or check ADOBRIDGE_API_KEY.",
        "forbidden" or "owner_role_required" or "environment_forbidden" => "Use a key with the role this needs (see the README's roles), e.g. with another --profile.",
        "connection_not_found" => "List this environment's connections with `adobridge connections list`; a key sees only its own environment's.",
        "connection_needs_reauth" => "The user must connect again: `adobridge connect --end-user <id> --reconnect <connection>`.",
        _ when api.Code == AdoBridgeApiException.UnexpectedResponseCode => "Check that the URL points at AdoBridge itself (`adobridge profiles list`).",
        _ => null,
    };

    private static string SafeUrl(CliContext? context)
    {
        try
        {
            return context?.BaseUrl.AbsoluteUri ?? "(unknown)";
        }
        catch (CliException)
        {
            return "(unknown)";
        }
    }

    private static string Reason(HttpRequestException e) => e.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException socket => socket.Message,
        { } inner => inner.Message,
        _ => e.Message,
    };
}
