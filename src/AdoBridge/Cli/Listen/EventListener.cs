using AdoBridge.Client;

namespace AdoBridge.Cli.Listen;

/// <summary>
/// `adobridge listen`: reads the environment's event stream and posts each event, signed, to a local URL, one at a time in
/// stream order. Its place is the cursor of the last event forwarded, kept in <see cref="ListenOptions.StateFile"/> after
/// each one, so after a disconnect, a server restart or a new run it resumes after it: nothing lost, nothing repeated
/// (only a crash between a forward and the save repeats that one event). A local app that fails or is down is reported
/// and passed over, as a webhook endpoint's failures do not stop the stream.
/// </summary>
internal static class EventListener
{
    /// <summary>Runs until <paramref name="ct"/> is cancelled; throws <see cref="AdoBridgeApiException"/> when AdoBridge refuses the stream (bad key, bad filter).</summary>
    public static async Task RunAsync(ListenOptions options, IProgress<ForwardResult> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var state = new ListenState(options.StateFile);
        using var api = options.Handler is null ? new HttpClient() : new HttpClient(options.Handler, disposeHandler: false);
        using var local = options.Handler is null ? new HttpClient() : new HttpClient(options.Handler, disposeHandler: false);
        local.Timeout = options.ForwardTimeout;
        var client = new AdoBridgeClient(api, new AdoBridgeClientOptions { BaseAddress = options.BaseUrl, ApiKey = options.ApiKey });
        var forwarder = new WebhookForwarder(local, options.ForwardTo, options.Secret, TimeProvider.System);
        var clock = TimeProvider.System;
        var saved = state.Load();
        var request = new EventStreamRequest
        {
            Types = options.Events,
            ConnectionId = options.ConnectionId,
            Cursor = saved,
            Connected = cursor =>
            {
                // A first run starts now: keep that place at once, so a run that forwarded nothing yet still resumes there.
                if (saved is null)
                {
                    state.Save(cursor, options.ForwardTo, clock.GetUtcNow());
                    saved = cursor;
                }

                options.Connected?.Invoke(cursor);
            },
            Disconnected = options.Disconnected,
        };

        try
        {
            await foreach (var entry in client.Events.StreamAsync(request, ct))
            {
                var result = await forwarder.ForwardAsync(entry, ct);
                state.Save(entry.Cursor, options.ForwardTo, clock.GetUtcNow());
                saved = entry.Cursor;
                progress.Report(result);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
