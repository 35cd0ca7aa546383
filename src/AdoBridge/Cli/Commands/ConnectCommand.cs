using System.CommandLine;
using System.Diagnostics;
using AdoBridge.Cli.Output;
using AdoBridge.Client;

namespace AdoBridge.Cli.Commands;

/// <summary>
/// `adobridge connect --end-user ID`: makes a connect link, prints it (or opens it), and waits until the user's connection
/// is active or has failed. A connection counts when it is new for that end user or changed since the link was made, so
/// no clock on this machine has to agree with the server's.
/// </summary>
internal static class ConnectCommand
{
    private static readonly string[] Failed = [ConnectionStatus.Error, ConnectionStatus.NeedsReauth, ConnectionStatus.Revoked];

    public static Command Create()
    {
        var endUser = new Option<string>("--end-user") { Description = "Your product's id for the user who will connect.", Required = true, HelpName = "id" };
        var name = new Option<string?>("--name") { Description = "The user's name, shown on the connect page.", HelpName = "text" };
        var app = new Option<string?>("--app") { Description = "The app to sign in with (default: the user picks among valid apps).", HelpName = "name" };
        var returnUrl = new Option<string?>("--return-url") { Description = "Where the user lands afterwards (on the app's allow-list).", HelpName = "url" };
        var reconnect = new Option<string?>("--reconnect") { Description = "Restore this connection (same id), e.g. after needs_reauth.", HelpName = "connection" };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the link (the session as JSON with -o json) and exit." };
        var open = new Option<bool>("--open") { Description = "Open the link in this machine's browser too." };
        var interval = new Option<TimeSpan>("--poll-interval") { Description = "How often to look for the connection.", DefaultValueFactory = _ => TimeSpan.FromSeconds(1), Hidden = true };
        var command = new Command("connect", """
            Makes a connect link for an end user, prints it, and waits until their connection is active (exit 0) or failed
            (exit 1), the user declines consent or their sign-in fails (exit 1, with the reason's code, e.g. consent_declined),
            or the link expires (exit 1). The link is on stderr; the connection, when made, on stdout.
            """)
        {
            endUser, name, app, returnUrl, reconnect, noWait, open, interval,
        };
        command.Action(async (context, parse, ct) =>
        {
            var user = parse.GetValue(endUser)!;
            var client = context.Client;
            var before = await SnapshotAsync(client, user, ct);
            var session = await client.ConnectSessions.CreateAsync(new CreateConnectSessionRequest
            {
                EndUserId = user, EndUserDisplayName = parse.GetValue(name), App = parse.GetValue(app), ReturnUrl = parse.GetValue(returnUrl) is { } back ? EndpointsCommand.AbsoluteUrl(back, "--return-url") : null,
                ReconnectConnectionId = parse.GetValue(reconnect),
            }, ct);
            if (parse.GetValue(noWait))
            {
                if (context.Output.Format == OutputFormat.Table)
                {
                    await context.Output.Stdout.WriteLineAsync(session.Url.AbsoluteUri);
                }
                else
                {
                    context.Output.Result(session, CliJsonContext.Default.ConnectSession);
                }

                return ExitCodes.Ok;
            }

            context.Output.Note($"Connect link for {user} (single use, until {session.ExpiresAt.UtcDateTime:HH:mm:ss} UTC): {session.Url.AbsoluteUri}");
            if (parse.GetValue(open))
            {
                OpenBrowser(context.Output, session.Url);
            }

            var connection = await context.Output.SpinAsync($"Waiting for {user} to connect… (Ctrl+C to stop)",
                _ => WaitAsync(client, user, session.Id, before, session.ExpiresAt, parse.GetValue(interval), ct));
            if (connection is null)
            {
                throw new CliException(ExitCodes.Error, "connect_link_expired", $"The link expired before {user} connected.", "Run `adobridge connect` again for a new link.");
            }

            context.Output.Result(connection, CliJsonContext.Default.Connection);
            if (Failed.Contains(connection.Status))
            {
                throw new CliException(ExitCodes.Error, "connection_failed", $"Connection {connection.Id} is {connection.Status}: {connection.StatusReason ?? connection.ErrorCode ?? "no reason given"}.",
                    $"Fix what the reason says, then `adobridge connect --end-user {user} --reconnect {connection.Id}`.");
            }

            context.Output.Success($"Connected: {connection.Id} ({connection.Status}).");
            return ExitCodes.Ok;
        });
        return command.WithExamples(
            "adobridge connect --end-user user-42 --name \"Ada Lovelace\"",
            "adobridge connect --end-user user-42 --reconnect conn_01J… --open",
            "adobridge connect --end-user user-42 --no-wait -o json");
    }

    private static async Task<Dictionary<string, DateTimeOffset>> SnapshotAsync(AdoBridgeClient client, string user, CancellationToken ct)
    {
        var seen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var connection in client.Connections.ListAllAsync(new ConnectionQuery { EndUserId = user }, ct))
        {
            seen[connection.Id] = connection.UpdatedAt;
        }

        return seen;
    }

    private static async Task<Connection?> WaitAsync(AdoBridgeClient client, string user, string sessionId, Dictionary<string, DateTimeOffset> before, DateTimeOffset expiresAt,
        TimeSpan interval, CancellationToken ct)
    {
        // The server's own clock decides expiry: a connection made at the last second still counts, checked once more after.
        var deadline = Stopwatch.StartNew();
        var lifetime = expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            await foreach (var connection in client.Connections.ListAllAsync(new ConnectionQuery { EndUserId = user }, ct))
            {
                var changed = !before.TryGetValue(connection.Id, out var updated) || updated != connection.UpdatedAt;
                if (changed && (connection.Status == ConnectionStatus.Active || Failed.Contains(connection.Status)))
                {
                    return connection;
                }
            }

            // The user may decline consent or sign in with an account that cannot connect: the server records it on the link.
            var state = await client.ConnectSessions.GetAsync(sessionId, ct);
            if (state.Status == "failed")
            {
                throw SignInFailed(user, state.ErrorCode);
            }

            if (deadline.Elapsed > lifetime || state.Status == "expired")
            {
                return null;
            }

            await Task.Delay(interval, ct);
        }
    }

    private static CliException SignInFailed(string user, string? code)
    {
        var again = $"They can use the same link again (\"Try again\" on the page), or run `adobridge connect --end-user {user}` for a new one.";
        var reason = code ?? "connect_failed";
        return reason switch
        {
            "consent_declined" => new CliException(ExitCodes.Error, reason, $"{user} declined consent: AdoBridge was not given access to Azure DevOps.",
                $"Ask them to choose Accept on Microsoft's consent page (or their administrator to grant consent to the app). {again}"),
            "wrong_account" => new CliException(ExitCodes.Error, reason, $"{user} signed in with an account outside the app's directory.", $"Ask them to pick their work account. {again}"),
            "no_organizations" => new CliException(ExitCodes.Error, reason, $"{user} signed in, but the account is in no Azure DevOps organisation this sign-in can reach.",
                $"Ask them to sign in with the account they use for Azure DevOps. {again}"),
            _ => new CliException(ExitCodes.Error, reason, $"{user}'s sign-in failed ({reason}).",
                $"`adobridge doctor` checks the app's setup. {again}"),
        };
    }

    private static void OpenBrowser(CliOutput output, Uri url)
    {
        try
        {
            using var browser = Process.Start(new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output.Warning($"Could not open a browser ({e.Message}); open the link above yourself.");
        }
    }
}
