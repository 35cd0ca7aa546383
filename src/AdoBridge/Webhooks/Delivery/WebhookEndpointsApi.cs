using AdoBridge.Hosting;
using System.Security.Claims;
using AdoBridge.ApiKeys;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using AdoBridge.Storage;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>The product's webhook endpoints under /v1/webhook-endpoints, scoped to the API key's environment.</summary>
internal static class WebhookEndpointsApi
{
    public static RouteGroupBuilder MapWebhookEndpointsApi(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/webhook-endpoints").WithTags("Webhook endpoints");
        group.MapGet("/", ListAsync).WithName("listWebhookEndpoints").WithSummary("List webhook endpoints")
            .WithDescription("Webhook endpoints of this key's environment, oldest first; page with `cursor`.");
        group.MapPost("/", CreateAsync).WithName("createWebhookEndpoint").WithRequestExample("""{"url": "https://app.contoso.com/hooks/adobridge", "events": ["pull_request.*", "connection.created"], "description": "review bot"}""").WithProblemCodes(400, "invalid_webhook_url", "invalid_event_filter", "invalid_description").WithSummary("Register a webhook endpoint")
            .WithDescription("Register an endpoint {url, events, description?}; the answer holds its signing secret (whsec_…), shown only this once.");
        group.MapGet("/{id}", GetAsync).WithName("getWebhookEndpoint").WithProblemCodes(404, "webhook_endpoint_not_found").WithSummary("Get a webhook endpoint")
            .WithDescription("One endpoint (never its secret).");
        group.MapPatch("/{id}", UpdateAsync).WithName("updateWebhookEndpoint").WithProblemCodes(400, "invalid_webhook_url", "invalid_event_filter", "invalid_description", "invalid_status").WithProblemCodes(404, "webhook_endpoint_not_found").WithSummary("Update a webhook endpoint")
            .WithDescription("Change url, events, description or status (enabled | disabled; deliveries to a disabled endpoint wait).");
        group.MapDelete("/{id}", DeleteAsync).WithName("deleteWebhookEndpoint").WithProblemCodes(404, "webhook_endpoint_not_found").WithSummary("Delete a webhook endpoint")
            .WithDescription("Delete an endpoint; deliveries still owed to it end as dead.");
        group.MapPost("/{id}/rotate-secret", RotateAsync).WithName("rotateWebhookEndpointSecret").WithProblemCodes(404, "webhook_endpoint_not_found").WithSummary("Rotate an endpoint's signing secret")
            .WithDescription("A new signing secret, shown once; the old one keeps signing too (both signatures sent) for the grace period.");
        group.MapPost("/{id}/replay-failed", ReplayFailedAsync).WithName("replayFailedDeliveries").WithProblemCodes(400, "invalid_filter").WithProblemCodes(404, "webhook_endpoint_not_found").WithSummary("Send an endpoint's failed deliveries again")
            .WithDescription("Send every dead or failing delivery of the endpoint again now (optional since/until on when the delivery was created).");
        group.MapPost("/{id}/test", TestAsync).WithName("testWebhookEndpoint").WithProblemCodes(404, "webhook_endpoint_not_found").WithProblemCodes(409, "webhook_endpoint_disabled").WithSummary("Send a test event to an endpoint")
            .WithDescription("Send a `webhook.test` event to this endpoint only.");
        return v1;
    }

    private static async Task<Results<Ok<WebhookEndpointList>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, WebhookEndpointService endpoints, IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, string? cursor, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            return Problem.BadRequest("invalid_filter", "`limit` must be between 1 and 500 (default 100).");
        }

        var page = await endpoints.ListAsync(user.EnvironmentId(), cursor, limit ?? 100, ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new WebhookEndpointList(page.Items.Select(e => View(e, options, now)).ToList(), page.NextCursor));
    }

    private static async Task<Results<Created<WebhookEndpointWithSecret>, ProblemHttpResult>> CreateAsync(
        CreateWebhookEndpointRequest request, ClaimsPrincipal user, WebhookEndpointService endpoints, IOptionsMonitor<WebhookDeliveryOptions> options,
        DestinationPolicy destinations, TimeProvider clock, CancellationToken ct)
    {
        if ((WebhookEndpointInput.CheckUrl(request.Url, out var url) ?? WebhookEndpointInput.CheckEvents(request.Events)
            ?? WebhookEndpointInput.CheckDescription(request.Description)
            ?? await WebhookEndpointInput.CheckDestinationAsync(destinations, url, ct)) is { } problem)
        {
            return problem;
        }

        if (await WebhookEndpointInput.CheckRoomAsync(endpoints, options.CurrentValue, user.EnvironmentId(), ct) is { } full)
        {
            return full;
        }

        var (endpoint, secret) = await endpoints.CreateAsync(user.EnvironmentId(), url, request.Events!.Select(e => e!), request.Description, ct);
        var view = WebhookEndpointWithSecret.From(View(endpoint, options, clock.GetUtcNow()), secret);
        return TypedResults.Created($"/v1/webhook-endpoints/{endpoint.Id}", view);
    }

    private static async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, WebhookEndpointService endpoints, IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, CancellationToken ct)
        => await endpoints.FindAsync(user.EnvironmentId(), id, ct) is { } e
            ? TypedResults.Ok(View(e, options, clock.GetUtcNow()))
            : WebhookEndpointInput.NotFound(id);

    private static async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> UpdateAsync(
        string id, UpdateWebhookEndpointRequest request, ClaimsPrincipal user, WebhookEndpointService endpoints, IOptionsMonitor<WebhookDeliveryOptions> options,
        DestinationPolicy destinations, TimeProvider clock, CancellationToken ct)
    {
        Uri? url = null;
        if ((request.Url is not null ? WebhookEndpointInput.CheckUrl(request.Url, out url) : null) is { } badUrl)
        {
            return badUrl;
        }

        if (url is not null && await WebhookEndpointInput.CheckDestinationAsync(destinations, url, ct) is { } forbidden)
        {
            return forbidden;
        }

        if (((request.Events is not null ? WebhookEndpointInput.CheckEvents(request.Events) : null)
            ?? WebhookEndpointInput.CheckDescription(request.Description) ?? WebhookEndpointInput.CheckStatus(request.Status)) is { } problem)
        {
            return problem;
        }

        var updated = await endpoints.UpdateAsync(user.EnvironmentId(), id, url, request.Events?.Select(e => e!), request.Description, request.Status, ct);
        return updated is null ? WebhookEndpointInput.NotFound(id) : TypedResults.Ok(View(updated, options, clock.GetUtcNow()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user, WebhookEndpointService endpoints, CancellationToken ct)
        => await endpoints.DeleteAsync(user.EnvironmentId(), id, ct) ? TypedResults.NoContent() : WebhookEndpointInput.NotFound(id);

    private static async Task<Results<Ok<WebhookEndpointWithSecret>, ProblemHttpResult>> RotateAsync(
        string id, ClaimsPrincipal user, WebhookEndpointService endpoints, IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (await endpoints.RotateSecretAsync(user.EnvironmentId(), id, null, ct) is not { } rotated)
        {
            return WebhookEndpointInput.NotFound(id);
        }

        return TypedResults.Ok(WebhookEndpointWithSecret.From(View(rotated.Endpoint, options, clock.GetUtcNow()), rotated.Secret));
    }

    private static async Task<Results<Accepted<ReplayFailedResult>, ProblemHttpResult>> ReplayFailedAsync(
        string id, [FromBody] ReplayFailedRequest? request, ClaimsPrincipal user, WebhookEndpointService endpoints, CancellationToken ct)
    {
        if (WebhookEndpointInput.CheckWindow(request?.Since, request?.Until) is { } problem)
        {
            return problem;
        }

        if (await endpoints.FindAsync(user.EnvironmentId(), id, ct) is null)
        {
            return WebhookEndpointInput.NotFound(id);
        }

        var count = await endpoints.ReplayFailedAsync(id, request?.Since, request?.Until, ct);
        return TypedResults.Accepted((string?)null, new ReplayFailedResult(id, count));
    }

    private static async Task<Results<Accepted<TestEventResult>, ProblemHttpResult>> TestAsync(
        string id, ClaimsPrincipal user, WebhookEndpointService endpoints, CancellationToken ct)
    {
        var endpoint = await endpoints.FindAsync(user.EnvironmentId(), id, ct);
        if (endpoint is null)
        {
            return WebhookEndpointInput.NotFound(id);
        }

        if (endpoint.Status != EndpointStatus.Enabled)
        {
            return Problem.Conflict("webhook_endpoint_disabled", "The endpoint is disabled, so nothing would be sent: enable it first (PATCH with {\"status\": \"enabled\"}).");
        }

        var (eventId, deliveryId) = await endpoints.SendTestAsync(endpoint, ct);
        return TypedResults.Accepted($"/v1/events/{eventId}", new TestEventResult(eventId, deliveryId, id));
    }

    private static WebhookEndpointView View(WebhookEndpointEntity e, IOptionsMonitor<WebhookDeliveryOptions> options, DateTimeOffset now)
        => WebhookEndpointView.From(e, options.CurrentValue.CircuitBreakerThreshold, now);
}
