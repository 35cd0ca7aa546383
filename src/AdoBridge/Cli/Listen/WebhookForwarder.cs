using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using AdoBridge.Client;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;

namespace AdoBridge.Cli.Listen;

/// <summary>
/// Posts one event to the local app exactly as AdoBridge's delivery would: the same body (<see cref="DeliveryPayload"/>),
/// signed per Standard Webhooks with the listener's secret (<see cref="SigningKey"/>), `webhook-id` the event id.
/// </summary>
internal sealed class WebhookForwarder(HttpClient http, Uri target, string secret, TimeProvider clock)
{
    private readonly byte[] key = SigningKey.Decode(secret);

    public async Task<ForwardResult> ForwardAsync(StreamedEvent entry, CancellationToken ct)
    {
        var e = entry.Event;
        var body = DeliveryPayload.Build(new EventEntity
        {
            Id = e.Id,
            EnvironmentId = string.Empty,
            Type = e.Type,
            ConnectionId = e.ConnectionId,
            Payload = e.Data.GetRawText(),
            CreatedAt = e.CreatedAt,
            Organization = e.Organization,
            Project = e.Project,
            Repository = e.Repository,
            SourceEventId = e.AzureDevOpsEventId,
        });
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("webhook-id", e.Id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", SigningKey.Sign(key, e.Id, timestamp, body));
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            return new ForwardResult(e.Id, e.Type, entry.Cursor, entry.IsReplay, (int)response.StatusCode, Stopwatch.GetElapsedTime(started), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            var error = ex is TaskCanceledException ? "timed out" : ex.Message;
            return new ForwardResult(e.Id, e.Type, entry.Cursor, entry.IsReplay, null, Stopwatch.GetElapsedTime(started), error);
        }
    }
}
