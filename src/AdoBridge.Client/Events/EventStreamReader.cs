using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>Reads GET /v1/events/stream and reconnects from the last cursor when it breaks, so no entry is lost or repeated.</summary>
internal static class EventStreamReader
{
    public static async IAsyncEnumerable<StreamedEvent> ReadAsync(AdoBridgeTransport transport, EventStreamRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        var path = ApiPath.WithQuery("v1/events/stream",
            ("types", request.Types is { Count: > 0 } types ? string.Join(',', types) : null), ("connection", request.ConnectionId));
        var cursor = request.Cursor;
        var delay = request.ReconnectDelay;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            Exception? broken = null;
            HttpResponseMessage? response = null;
            try
            {
                response = await transport.OpenStreamAsync(path, cursor, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (Transient(e, ct))
            {
                broken = e;
            }

            if (response is not null)
            {
                using (response)
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    idle.CancelAfter(request.IdleTimeout);
                    IAsyncEnumerator<ServerSentEvent>? events = null;
                    try
                    {
                        var body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
                        events = ServerSentEvents.ReadAsync(body, () => idle.CancelAfter(request.IdleTimeout), idle.Token).GetAsyncEnumerator(idle.Token);
                    }
                    catch (Exception e) when (Transient(e, ct))
                    {
                        broken = e;
                    }

                    if (events is not null)
                    {
                        await using (events.ConfigureAwait(false))
                        {
                            while (true)
                            {
                                ServerSentEvent current;
                                try
                                {
                                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                                    {
                                        broken = new HttpRequestException("The server ended the event stream (it may be restarting).");
                                        break;
                                    }

                                    current = events.Current;
                                }
                                catch (Exception e) when (Transient(e, ct))
                                {
                                    broken = e;
                                    break;
                                }

                                if (current.Type == "ready")
                                {
                                    cursor = current.Id ?? cursor;
                                    delay = request.ReconnectDelay;
                                    if (cursor is not null)
                                    {
                                        request.Connected?.Invoke(cursor);
                                    }

                                    continue;
                                }

                                if (current.Type is not ("message" or "replay") || current.Id is null)
                                {
                                    continue;
                                }

                                AdoBridgeEvent? item;
                                try
                                {
                                    item = JsonSerializer.Deserialize(current.Data, AdoBridgeJsonContext.Default.AdoBridgeEvent);
                                }
                                catch (JsonException e)
                                {
                                    throw new AdoBridgeApiException(200, AdoBridgeApiException.UnexpectedResponseCode, "Unexpected response",
                                        $"An event stream entry does not match AdoBridgeEvent: {e.Message}");
                                }

                                cursor = current.Id;
                                if (item is not null)
                                {
                                    yield return new StreamedEvent(current.Id, current.Type == "replay", item);
                                }
                            }
                        }
                    }
                }
            }

            request.Disconnected?.Invoke(broken!);
            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, request.MaxReconnectDelay.Ticks));
        }
    }

    // Worth another try: the network or server went away, a stall, or the server answered 5xx (starting, restarting).
    // A refusal (bad key, bad filter, too many streams) is final and thrown to the caller.
    private static bool Transient(Exception e, CancellationToken ct) => !ct.IsCancellationRequested && e switch
    {
        HttpRequestException or IOException or OperationCanceledException => true,
        AdoBridgeApiException api => api.Status >= 500,
        _ => false,
    };
}
