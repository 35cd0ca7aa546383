using System.ComponentModel.DataAnnotations;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Webhooks.Delivery;

internal sealed record CreateWebhookEndpointRequest(
    [property: Required, System.ComponentModel.Description("The absolute https URL where your product receives events.")] string? Url,
    [property: Required, System.ComponentModel.Description("Event types to deliver: exact (`pull_request.created`), a family (`pull_request.*`) or `*`.")] string?[]? Events,
    [property: System.ComponentModel.Description("A note for people, e.g. what receives these events.")] string? Description);

/// <summary>A partial update: a field left out (null) keeps its value.</summary>
internal sealed record UpdateWebhookEndpointRequest(
    [property: System.ComponentModel.Description("A new URL.")] string? Url,
    [property: System.ComponentModel.Description("A new list of event types.")] string?[]? Events,
    [property: System.ComponentModel.Description("A new note.")] string? Description,
    [property: AllowedValues("enabled", "disabled"), System.ComponentModel.Description("`disabled` holds deliveries back; `enabled` sends them again.")] string? Status);

internal sealed record ReplayFailedRequest(DateTimeOffset? Since, DateTimeOffset? Until);

/// <summary>Checks what the product sends for an endpoint; each refusal names the field, what is wrong and how to fix it.</summary>
internal static class WebhookEndpointInput
{
    private const int MaxUrlLength = 2048;
    private const int MaxDescriptionLength = 500;

    public static ProblemHttpResult? CheckUrl(string? url, out Uri parsed)
    {
        parsed = null!;
        if (string.IsNullOrWhiteSpace(url))
        {
            return Invalid("invalid_webhook_url", "url", "`url` is required.", "Give the absolute https URL where your product receives AdoBridge events.");
        }

        if (url.Length > MaxUrlLength)
        {
            return Invalid("invalid_webhook_url", "url", $"`url` is longer than {MaxUrlLength} characters.", "Use a shorter URL.");
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
        {
            return Invalid("invalid_webhook_url", "url", "`url` is not an absolute http(s) URL.", "Give a URL such as https://app.contoso.com/hooks/adobridge.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // Never echo the URL here: the part before '@' is a credential.
            return Invalid("invalid_webhook_url", "url", "`url` carries a user name or password before the host.",
                "Remove the credentials from the URL: AdoBridge signs every request (webhook-signature), which your endpoint verifies with the endpoint's secret.");
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return Invalid("invalid_webhook_url", "url", "`url` has a #fragment, which is never sent to a server.", "Remove the part from '#'.");
        }

        parsed = uri;
        return null;
    }

    /// <summary>Refuses a URL whose host is, or resolves to, an address webhooks are not sent to (see <see cref="DestinationPolicy"/>).</summary>
    public static async Task<ProblemHttpResult?> CheckDestinationAsync(DestinationPolicy destinations, Uri url, CancellationToken ct)
    {
        if (await destinations.RefusedAtRegistrationAsync(url, ct) is not { } refused)
        {
            return null;
        }

        var fix = $"Give your product's public URL. If the receiver really is on your own network, an operator can allow it with {DestinationPolicy.Setting} "
            + "(CIDRs such as 10.20.0.0/16, or host names)" + (destinations.SandboxAllowsLoopback ? "." : "; sandbox mode allows loopback receivers.");
        return Problem.BadRequest("endpoint_destination_forbidden",
            $"`url` points to {refused.Address}, which is not a public address ({refused.Range}); AdoBridge does not send webhooks there. {fix}",
            new Dictionary<string, object?> { ["field"] = "url", ["fix"] = fix });
    }

    /// <summary>Refuses a new endpoint when the environment already has as many as the options allow.</summary>
    public static async Task<ProblemHttpResult?> CheckRoomAsync(WebhookEndpointService endpoints, WebhookDeliveryOptions options, string environmentId, CancellationToken ct)
    {
        var limit = options.MaxEndpointsPerEnvironment;
        return await endpoints.CountAsync(environmentId, ct) < limit
            ? null
            : Problem.Conflict("webhook_endpoint_limit_reached",
                $"This environment already has {limit} webhook endpoints, the most AdoBridge:Webhooks:MaxEndpointsPerEnvironment allows. "
                + "Delete endpoints you no longer use, or let one endpoint take more event types.");
    }

    public static ProblemHttpResult? CheckEvents(string?[]? events)
        => EventFilters.Validate(events) is { } error
            ? Invalid("invalid_event_filter", "events", error, "Use exact event types, a family ending in \".*\", or \"*\".")
            : null;

    public static ProblemHttpResult? CheckDescription(string? description)
        => description is { Length: > MaxDescriptionLength }
            ? Invalid("invalid_description", "description", $"`description` is longer than {MaxDescriptionLength} characters.", "Shorten it.")
            : null;

    public static ProblemHttpResult? CheckStatus(string? status)
        => status is null or EndpointStatus.Enabled or EndpointStatus.Disabled
            ? null
            : Invalid("invalid_status", "status", "`status` must be 'enabled' or 'disabled'.", "Send \"enabled\" to deliver events, \"disabled\" to pause (deliveries wait).");

    public static ProblemHttpResult? CheckWindow(DateTimeOffset? since, DateTimeOffset? until)
        => since is not null && until is not null && since > until
            ? Invalid("invalid_filter", "since", "`since` is after `until`.", "Swap them, or leave one out.")
            : null;

    public static ProblemHttpResult Invalid(string code, string field, string message, string fix)
        => Problem.BadRequest(code, $"{message} {fix}", new Dictionary<string, object?> { ["field"] = field, ["fix"] = fix });

    public static ProblemHttpResult NotFound(string id)
        => Problem.NotFound("webhook_endpoint_not_found", $"There is no webhook endpoint '{Shorten(id)}' in this API key's environment.");

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
