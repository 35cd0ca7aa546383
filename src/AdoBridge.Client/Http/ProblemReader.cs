using System.Text;
using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>Turns a failed response into <see cref="AdoBridgeApiException"/>, keeping every member of the problem details.</summary>
internal static class ProblemReader
{
    private const int SnippetLength = 300;
    private const int MaxBodyChars = 64 * 1024;
    private static readonly string[] StandardMembers = ["type", "title", "status", "detail", "code"];

    public static bool IsJson(string? mediaType)
        => mediaType is not null && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public static async Task<AdoBridgeApiException> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await ReadBodyAsync(response, ct).ConfigureAwait(false);
        if (IsJson(response.Content.Headers.ContentType?.MediaType) && TryParseObject(body) is { } problem)
        {
            var status = problem.TryGetProperty("status", out var s) && s.TryGetInt32(out var n) ? n : (int)response.StatusCode;
            var extensions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var member in problem.EnumerateObject())
            {
                if (!StandardMembers.Contains(member.Name, StringComparer.Ordinal))
                {
                    extensions[member.Name] = member.Value.Clone();
                }
            }

            var code = Text(problem, "code");
            var title = Text(problem, "title") ?? Reason(response);
            var detail = Text(problem, "detail");
            if (code is null)
            {
                // JSON, but not AdoBridge's problem details: keep what it said and mark it as not from the API.
                code = AdoBridgeApiException.UnexpectedResponseCode;
                detail ??= $"The answer was JSON without problem details: {Snippet(body)}";
            }

            return new AdoBridgeApiException(status, code, title, detail, Text(problem, "type"), extensions);
        }

        return Unexpected(response, "is not AdoBridge problem details", body);
    }

    public static async Task<AdoBridgeApiException> UnexpectedAsync(HttpResponseMessage response, string what, CancellationToken ct)
        => Unexpected(response, what, await ReadBodyAsync(response, ct).ConfigureAwait(false));

    public static AdoBridgeApiException Unexpected(HttpResponseMessage response, string what, string? body)
    {
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "no content type";
        var detail = new StringBuilder()
            .Append($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {status} {Reason(response)} ({mediaType}), and the body {what}. ")
            .Append("Check that the base address points at AdoBridge itself, and whether a proxy or load balancer in front of it answered instead.");
        if (!string.IsNullOrWhiteSpace(body))
        {
            detail.Append(" The body starts: ").Append(Snippet(body));
        }

        return new AdoBridgeApiException(status, AdoBridgeApiException.UnexpectedResponseCode, Reason(response), detail.ToString(), null, new Dictionary<string, JsonElement>());
    }

    // An error page can be large (or endless); problem details are small, so read only the start.
    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), Encoding.UTF8);
        var buffer = new char[MaxBodyChars];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
        return new string(buffer, 0, read);
    }

    private static JsonElement? TryParseObject(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement problem, string name)
        => problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Reason(HttpResponseMessage response) => response.ReasonPhrase is { Length: > 0 } reason ? reason : $"HTTP {(int)response.StatusCode}";

    private static string Snippet(string body)
    {
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= SnippetLength ? flat : flat[..SnippetLength] + "…";
    }
}
