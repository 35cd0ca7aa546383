using System.Text;

namespace AdoBridge.Emulator;

/// <summary>The event envelope a webhook receives, shaped like the service's samples, trimmed by the consumer inputs
/// resourceDetailsToSend / messagesToSend / detailedMessagesToSend (all, minimal, none).</summary>
internal static class HookEnvelope
{
    private static readonly string[] MinimalKeys = ["id", "url", "pullRequestId", "workItemId", "pushId", "rev", "status", "result", "buildNumber"];

    public static Dictionary<string, object?> Build(HookEvent e, HookSubscriptionData sub, int notificationId, Guid eventId, DateTimeOffset now)
    {
        var baseUrl = e.OrgUrl + "/";
        return new Dictionary<string, object?>
        {
            ["subscriptionId"] = sub.Id,
            ["notificationId"] = notificationId,
            ["id"] = eventId,
            ["eventType"] = e.EventType,
            ["publisherId"] = sub.PublisherId,
            ["message"] = Message(e.Message, sub.ConsumerInputs.GetValueOrDefault("messagesToSend")),
            ["detailedMessage"] = Message(e.DetailedMessage, sub.ConsumerInputs.GetValueOrDefault("detailedMessagesToSend")),
            ["resource"] = Resource(e.Resource, sub.ConsumerInputs.GetValueOrDefault("resourceDetailsToSend")),
            ["resourceVersion"] = e.ResourceVersion,
            ["resourceContainers"] = new Dictionary<string, object>
            {
                ["collection"] = new Dictionary<string, object> { ["id"] = e.OrganizationId, ["baseUrl"] = baseUrl },
                ["account"] = new Dictionary<string, object> { ["id"] = e.OrganizationId, ["baseUrl"] = baseUrl },
                ["project"] = new Dictionary<string, object> { ["id"] = e.ProjectId, ["baseUrl"] = baseUrl },
            },
            ["createdDate"] = DevOpsJson.Iso(now),
        };
    }

    /// <summary>Basic auth from basicAuthUsername/basicAuthPassword and the "Key:value" lines of httpHeaders.</summary>
    public static IReadOnlyDictionary<string, string> Headers(HookSubscriptionData sub)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var user = sub.ConsumerInputs.GetValueOrDefault("basicAuthUsername");
        var password = sub.ConsumerInputs.GetValueOrDefault("basicAuthPassword");
        if (!string.IsNullOrEmpty(user) || !string.IsNullOrEmpty(password))
        {
            headers["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        }

        foreach (var line in (sub.ConsumerInputs.GetValueOrDefault("httpHeaders") ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return headers;
    }

    private static HookMessage? Message(HookMessage message, string? mode) => mode?.ToLowerInvariant() switch
    {
        "none" => null,
        "text" => message with { Html = string.Empty, Markdown = string.Empty },
        "html" => message with { Text = string.Empty, Markdown = string.Empty },
        "markdown" => message with { Text = string.Empty, Html = string.Empty },
        _ => message,
    };

    private static object? Resource(object resource, string? mode) => mode?.ToLowerInvariant() switch
    {
        "none" => null,
        "minimal" when resource is Dictionary<string, object?> full => full.Where(p => MinimalKeys.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value),
        _ => resource,
    };
}
