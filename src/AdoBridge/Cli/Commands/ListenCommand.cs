using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AdoBridge.Cli.Listen;
using AdoBridge.Cli.Output;

namespace AdoBridge.Cli.Commands;

/// <summary>
/// `adobridge listen --forward-to URL`: the environment's events, live, posted to a local URL signed per Standard Webhooks,
/// each shown with the local app's answer; it keeps its place in a state file, so a disconnect, a server restart or a
/// new run resumes after the last event forwarded.
/// </summary>
internal static class ListenCommand
{
    public const string SecretVariable = "ADOBRIDGE_LISTEN_SECRET";

    public static Command Create()
    {
        var forwardTo = new Option<string>("--forward-to") { Description = "The local URL each event is POSTed to.", HelpName = "url", Required = true };
        var events = new Option<string[]>("--events") { Description = "Only these event types, comma-separated or repeated; `pull_request.*` works.", HelpName = "types", AllowMultipleArgumentsPerToken = true };
        var connection = new Option<string?>("--connection") { Description = "Only events about this connection (one user's).", HelpName = "id" };
        var secret = new Option<string?>("--secret") { Description = $"The signing secret (whsec_…) to use instead of a new one each run; also {SecretVariable}.", HelpName = "whsec" };
        var stateFile = new Option<string?>("--state-file") { Description = "Where the place in the stream is kept (default: beside the profile file, per profile and forward URL).", HelpName = "path" };
        var fromNow = new Option<bool>("--from-now") { Description = "Forget the kept place and start with the next new event." };
        var command = new Command("listen", "Receives the environment's events live and posts each to a local URL, signed per Standard Webhooks with the secret it prints at start; shows each event with the local app's status. Replays requested elsewhere (console, API, `events replay`) arrive too.")
        {
            forwardTo, events, connection, secret, stateFile, fromNow,
        };
        command.Action(async (context, parse, ct) =>
        {
            var target = ParseLocalUrl(parse.GetValue(forwardTo)!);
            _ = context.Client; // without a key, this fails with the login hint
            var (url, _, profile) = context.Resolve();
            var signing = parse.GetValue(secret) ?? Environment.GetEnvironmentVariable(SecretVariable);
            if (signing is not null && !signing.StartsWith("whsec_", StringComparison.Ordinal))
            {
                throw CliException.Usage("invalid_secret", "The signing secret must be a Standard Webhooks secret, whsec_ followed by base64.", "Leave --secret out to get a new one, or copy the one a previous run printed.");
            }

            var state = parse.GetValue(stateFile) ?? DefaultStateFile(context, profile, url, target);
            if (parse.GetValue(fromNow) && File.Exists(state))
            {
                File.Delete(state);
            }

            var types = parse.GetValue(events)?.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var options = new ListenOptions
            {
                BaseUrl = url,
                ApiKey = context.ApiKey,
                ForwardTo = target,
                Events = types is { Count: > 0 } ? types : null,
                ConnectionId = parse.GetValue(connection),
                StateFile = state,
                Secret = signing ?? Webhooks.Delivery.SigningKey.NewSecret(),
                Connected = cursor => context.Output.Note($"Connected to {url} (resuming after {cursor}); forwarding to {target}."),
                Disconnected = e => context.Output.Warning($"Stream interrupted ({e.GetType().Name}); reconnecting…"),
            };
            context.Output.Note($"Signing secret: {options.Secret}   (verify with it in your app; pass --secret to keep it next run)");
            context.Output.Note($"Place kept in {state}. Ctrl+C stops.");
            var json = context.Output.Format is OutputFormat.Json or OutputFormat.Yaml;
            await EventListener.RunAsync(options, new Reporter(context.Output, json), ct);
            return ExitCodes.Ok;
        });
        return command.WithExamples(
            "adobridge listen --forward-to http://localhost:3000/hooks",
            "adobridge listen --forward-to http://localhost:3000/hooks --events pull_request.* --connection conn_01J…",
            "adobridge listen --forward-to http://localhost:3000/hooks -o json | jq .status");
    }

    private static Uri ParseLocalUrl(string value)
        => Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw CliException.Usage("invalid_url", $"--forward-to '{value}' is not an http or https URL.", "Give your app's webhook URL, e.g. http://localhost:3000/hooks.");

    /// <summary>One state file per profile, server and forward URL, beside the profile file (same owner-only folder).</summary>
    private static string DefaultStateFile(CliContext context, string profile, Uri server, Uri target)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(server.AbsoluteUri + "\n" + target.AbsoluteUri)))[..12];
        return Path.Combine(Path.GetDirectoryName(context.Profiles.Path)!, "listen", $"{profile}-{key}.json");
    }

    /// <summary>Shows each forwarded event: a line for people, or one JSON object per line for a pipe.</summary>
    private sealed class Reporter(CliOutput output, bool json) : IProgress<ForwardResult>
    {
        public void Report(ForwardResult value)
        {
            if (json)
            {
                output.Stdout.WriteLine(System.Text.Json.JsonSerializer.Serialize(ForwardLine.Of(value), CliJsonContext.Compact.ForwardLine));
                output.Stdout.Flush();
                return;
            }

            var status = value.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "unreachable";
            var line = $"{DateTimeOffset.Now:HH:mm:ss}  {value.Type,-28} {value.EventId}  → {status} ({value.Duration.TotalMilliseconds:0} ms){(value.IsReplay ? "  replay" : string.Empty)}{(value.Error is null ? string.Empty : "  " + value.Error)}";
            output.Stdout.WriteLine(line);
            output.Stdout.Flush();
        }
    }
}

/// <summary>A forwarded event as `listen -o json` prints it, one object per line.</summary>
internal sealed record ForwardLine(string EventId, string Type, string Cursor, bool Replay, int? Status, double DurationMs, string? Error)
{
    public static ForwardLine Of(ForwardResult r) => new(r.EventId, r.Type, r.Cursor, r.IsReplay, r.StatusCode, Math.Round(r.Duration.TotalMilliseconds, 1), r.Error);
}
