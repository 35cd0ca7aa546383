using System.Runtime.CompilerServices;
using System.Text;

namespace AdoBridge.Client;

/// <summary>One server-sent event: its type (<c>message</c> when none was named), id (null when none was sent) and data.</summary>
internal sealed record ServerSentEvent(string Type, string? Id, string Data);

/// <summary>Reads the text/event-stream format (WHATWG HTML, "server-sent events"): fields per line, an empty line ends an event.</summary>
internal static class ServerSentEvents
{
    /// <summary>Yields each event as its empty line arrives; <paramref name="lineRead"/> runs on every line, keep-alive comments included.</summary>
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream body, Action lineRead, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? type = null;
        string? id = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lineRead();
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new ServerSentEvent(type ?? "message", id, data.ToString());
                }

                type = null;
                id = null;
                data.Clear();
                hasData = false;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "id" when !value.Contains('\0', StringComparison.Ordinal):
                    id = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
            }
        }
    }
}
