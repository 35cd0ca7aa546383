using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Webhooks.Streaming;

/// <summary>One entry as it came over the wire: its SSE type (`message` when none), id and data.</summary>
internal sealed record SseEntry(string Type, string? Id, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>A raw GET /v1/events/stream, read line by line, so tests see the wire format itself (ids, types, comments).</summary>
internal sealed class SseConnection : IAsyncDisposable
{
    private readonly HttpClient http;
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private SseConnection(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        this.http = http;
        this.response = response;
        this.reader = reader;
    }

    /// <summary>Every line read so far, comments included.</summary>
    public List<string> Lines { get; } = [];

    /// <summary>The cursor of the `ready` entry (the stream's starting position).</summary>
    public string Start { get; private set; } = "";

    public static async Task<SseConnection> OpenAsync(AdoBridgeServer server, string query = "", string? lastEventId = null, string? apiKey = AdoBridgeServer.BootstrapKey)
    {
        var http = server.Client(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events/stream" + query);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
        var connection = new SseConnection(http, response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
        var ready = await connection.NextEntryAsync(includeReady: true);
        ready.Type.ShouldBe("ready");
        connection.Start = ready.Id!;
        ready.Json.GetProperty("cursor").GetString().ShouldBe(ready.Id);
        return connection;
    }

    /// <summary>The next entry (not a comment), waiting at most <paramref name="timeout"/> (default 15 s).</summary>
    public async Task<SseEntry> NextEntryAsync(TimeSpan? timeout = null, bool includeReady = false)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        string? type = null, id = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("The server ended the stream.");
            Lines.Add(line);
            if (line.Length == 0)
            {
                if (data.Length > 0 && (includeReady || type != "ready"))
                {
                    return new SseEntry(type ?? "message", id, data.ToString());
                }

                type = id = null;
                data.Clear();
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "event": type = value; break;
                case "id": id = value; break;
                case "data": data.Append(value); break;
            }
        }
    }

    /// <summary>Reads lines until one matches, or null when the server ends the stream.</summary>
    public async Task<string?> LineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            Lines.Add(line);
            if (match(line))
            {
                return line;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        http.Dispose();
        await Task.CompletedTask;
    }
}
