using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Streaming;

/// <summary>What one stream asked for: its environment, where it starts, and its filters.</summary>
internal sealed record StreamRequest(string EnvironmentId, long Start, string? ConnectionId, IReadOnlyList<string>? Types);

/// <summary>
/// Writes one server-sent event stream: a `ready` entry with the starting position, what was stored after it, then new
/// entries as they commit (woken by <see cref="EventStreamPulse"/>), with a comment line when idle so proxies keep the
/// connection. Ends cleanly when the client goes or the server stops (the client resumes from its last id).
/// </summary>
internal sealed class EventStreamSession(
    EventStreamReader reader, EventStreamPulse pulse, IOptionsMonitor<EventStreamOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    IHostApplicationLifetime lifetime, TimeProvider clock)
{
    public const string ContentType = "text/event-stream";

    private static readonly byte[] Heartbeat = ": keep-alive\n\n"u8.ToArray();

    public async Task RunAsync(HttpResponse response, StreamRequest request, CancellationToken requestAborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each entry on at once
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var position = request.Start;
        try
        {
            var cursor = position.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(response, $"retry: 2000\nevent: ready\nid: {cursor}\ndata: {{\"cursor\":\"{cursor}\"}}\n\n", ct);
            await response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                var next = pulse.Next;
                var page = await reader.ReadAsync(request.EnvironmentId, position, request.ConnectionId, request.Types, options.CurrentValue.PageSize, ct);
                foreach (var entry in page.Entries)
                {
                    await WriteAsync(response, Format(entry), ct);
                }

                if (page.Entries.Count > 0)
                {
                    await response.Body.FlushAsync(ct);
                }

                position = page.ReadUpTo;
                if (page.More)
                {
                    continue;
                }

                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var heartbeat = Task.Delay(options.CurrentValue.HeartbeatInterval, clock, idle.Token);
                if (await Task.WhenAny(next, heartbeat) == heartbeat && !ct.IsCancellationRequested)
                {
                    await response.Body.WriteAsync(Heartbeat, ct);
                    await response.Body.FlushAsync(ct);
                }

                await idle.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // The client left or the server is stopping: end the response; the client resumes from its last id.
        }
        catch (IOException)
        {
            // The connection broke mid-write: same.
        }
    }

    private string Format(StreamEntry entry)
    {
        var data = JsonSerializer.Serialize(entry.Event, json.Value.SerializerOptions);
        var id = entry.Position.ToString(CultureInfo.InvariantCulture);
        return entry.Replay ? $"id: {id}\nevent: replay\ndata: {data}\n\n" : $"id: {id}\ndata: {data}\n\n";
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
        => await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
}
