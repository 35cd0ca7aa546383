using System.Globalization;
using AdoBridge.AdminConsole.Components;
using AdoBridge.Environments;
using AdoBridge.Hosting;
using AdoBridge.Problems;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AdoBridge.AdminConsole;

/// <summary>The webhook endpoint form's fields (events as typed: separated by commas, spaces or lines); any may be missing.</summary>
internal sealed class WebhookForm
{
    public string? Environment { get; init; }
    public string? Url { get; init; }
    public string? Events { get; init; }
    public string? Description { get; init; }
    public string? Status { get; init; }

    // Read by hand rather than bound with [FromForm]: the request delegate factory fails to compile a handler with a
    // bound form object among this many parameters. Antiforgery is checked all the same (RequireConsoleAntiforgery).
    public static async Task<WebhookForm> ReadAsync(HttpContext http, CancellationToken ct)
    {
        var form = await ConsolePage.FormAsync(http, ct);
        return new WebhookForm
        {
            Environment = ConsolePage.Field(form, "environment"),
            Url = ConsolePage.Field(form, "url"),
            Events = ConsolePage.Field(form, "events"),
            Description = form["description"].ToString(),
            Status = ConsolePage.Field(form, "status"),
        };
    }
}

/// <summary>
/// The console's webhook endpoints: the list with each endpoint's health, create, edit, disable and enable, rotate the
/// signing secret (shown once, on the page that answers the post) and send a test. Every rule is the API's
/// (<see cref="WebhookEndpointInput"/>, <see cref="WebhookEndpointService"/>); every change is in the console audit.
/// </summary>
internal static class ConsoleWebhookEndpoints
{
    public const string Created = "webhook_endpoint.created";
    public const string Updated = "webhook_endpoint.updated";
    public const string StatusChanged = "webhook_endpoint.status_changed";
    public const string SecretRotated = "webhook_endpoint.secret_rotated";
    public const string TestSent = "webhook_endpoint.test_sent";

    public static IEndpointRouteBuilder MapConsoleWebhooks(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/console/webhooks").ExcludeFromDescription().RequireAuthorization(ConsoleAuth.Policy).RequireConsoleAntiforgery();
        pages.MapGet("/", ListAsync).WithName("consoleWebhooks").WithSummary("Webhook endpoints page")
            .WithDescription("The environment's webhook endpoints with their health, and the form that adds one.").WithProblemCodes(400, "bad_request");
        pages.MapPost("/", CreateAsync).WithName("consoleCreateWebhook").WithSummary("Add a webhook endpoint")
            .WithDescription("Adds an endpoint and shows its signing secret, this once.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapGet("/{id}", DetailAsync).WithName("consoleWebhook").WithSummary("Webhook endpoint page")
            .WithDescription("One endpoint: settings, health and actions.").WithProblemCodes(404, "webhook_endpoint_not_found");
        pages.MapPost("/{id}", UpdateAsync).WithName("consoleUpdateWebhook").WithSummary("Change a webhook endpoint")
            .WithDescription("Changes the endpoint's URL, event types and note.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/{id}/status", SetStatusAsync).WithName("consoleWebhookStatus").WithSummary("Disable or enable a webhook endpoint")
            .WithDescription("Disabled endpoints keep their deliveries waiting; enabling one closes its circuit.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/{id}/rotate-secret", RotateAsync).WithName("consoleRotateWebhookSecret").WithSummary("Rotate a webhook endpoint's secret")
            .WithDescription("A new signing secret, shown once; the old one keeps signing for the grace period.").WithProblemCodes(400, "antiforgery_failed");
        pages.MapPost("/{id}/test", TestAsync).WithName("consoleTestWebhook").WithSummary("Send a test event")
            .WithDescription("Sends a webhook.test event to this endpoint only.").WithProblemCodes(400, "antiforgery_failed");
        return app;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, WebhookEndpointService endpoints, EndpointHealth health,
        IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, string? environment, string? cursor, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, environment, ct);
        return await ListPageAsync(http, antiforgery, scope, endpoints, health, options, clock, ConsolePage.Blank(cursor), new WebhookFormView(null, "*", null), null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, WebhookEndpointService endpoints,
        EndpointHealth health, DestinationPolicy destinations, ConsoleAccounts accounts, IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var form = await WebhookForm.ReadAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, form.Environment, ct);
        var events = SplitEvents(form.Events);
        var description = ConsolePage.Blank(form.Description);
        if ((WebhookEndpointInput.CheckUrl(form.Url, out var url) ?? WebhookEndpointInput.CheckEvents(events) ?? WebhookEndpointInput.CheckDescription(description)
            ?? await WebhookEndpointInput.CheckDestinationAsync(destinations, url, ct)
            ?? await WebhookEndpointInput.CheckRoomAsync(endpoints, options.CurrentValue, scope.Environment, ct)) is { } problem)
        {
            return await ListPageAsync(http, antiforgery, scope, endpoints, health, options, clock, null, new WebhookFormView(form.Url, form.Events, form.Description),
                Message(problem), StatusCodes.Status400BadRequest, ct);
        }

        var (endpoint, secret) = await endpoints.CreateAsync(scope.Environment, url, events!.Select(e => e!), description, ct);
        await ConsolePage.AuditAsync(http, accounts, Created, $"{endpoint.Id} in {scope.Environment}: {endpoint.Url}", ct);
        return await DetailPageAsync(http, antiforgery, scope, endpoint, health, options, clock, null, secret,
            "The endpoint is added. Copy its signing secret now: it is shown only this once.", null, StatusCodes.Status201Created, ct);
    }

    private static async Task<IResult> DetailAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox, WebhookEndpointService endpoints, EndpointHealth health,
        IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, string? environment, CancellationToken ct)
    {
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, environment, ct);
        return await endpoints.FindAsync(scope.Environment, id, ct) is { } endpoint
            ? await DetailPageAsync(http, antiforgery, scope, endpoint, health, options, clock, null, null, null, null, StatusCodes.Status200OK, ct)
            : await NotFound(http, antiforgery, scope, endpoints, health, options, clock, id, ct);
    }

    private static async Task<IResult> UpdateAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox,
        WebhookEndpointService endpoints, EndpointHealth health, DestinationPolicy destinations, ConsoleAccounts accounts, IOptionsMonitor<WebhookDeliveryOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var form = await WebhookForm.ReadAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, form.Environment, ct);
        if (await endpoints.FindAsync(scope.Environment, id, ct) is not { } endpoint)
        {
            return await NotFound(http, antiforgery, scope, endpoints, health, options, clock, id, ct);
        }

        var events = SplitEvents(form.Events);
        var description = form.Description?.Trim() ?? string.Empty;
        var problem = WebhookEndpointInput.CheckUrl(form.Url, out var url) ?? WebhookEndpointInput.CheckEvents(events) ?? WebhookEndpointInput.CheckDescription(description);
        if (problem is null && url.AbsoluteUri != endpoint.Url)
        {
            problem = await WebhookEndpointInput.CheckDestinationAsync(destinations, url, ct);
        }

        if (problem is not null)
        {
            return await DetailPageAsync(http, antiforgery, scope, endpoint, health, options, clock, new WebhookFormView(form.Url, form.Events, form.Description),
                null, null, Message(problem), StatusCodes.Status400BadRequest, ct);
        }

        var updated = await endpoints.UpdateAsync(scope.Environment, id, url, events!.Select(e => e!), description, null, ct);
        await ConsolePage.AuditAsync(http, accounts, Updated, $"{id} in {scope.Environment}: {updated!.Url}, events {string.Join(" ", events!)}", ct);
        return await DetailPageAsync(http, antiforgery, scope, updated, health, options, clock, null, null, "The endpoint is saved.", null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> SetStatusAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox,
        WebhookEndpointService endpoints, EndpointHealth health, ConsoleAccounts accounts, IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var form = await WebhookForm.ReadAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, form.Environment, ct);
        if (await endpoints.FindAsync(scope.Environment, id, ct) is not { } endpoint)
        {
            return await NotFound(http, antiforgery, scope, endpoints, health, options, clock, id, ct);
        }

        if (form.Status is null || WebhookEndpointInput.CheckStatus(form.Status) is not null)
        {
            return await DetailPageAsync(http, antiforgery, scope, endpoint, health, options, clock, null, null, null,
                "Choose to disable or to enable the endpoint.", StatusCodes.Status400BadRequest, ct);
        }

        var updated = await endpoints.UpdateAsync(scope.Environment, id, null, null, null, form.Status, ct);
        await ConsolePage.AuditAsync(http, accounts, StatusChanged, $"{id} in {scope.Environment}: {form.Status}", ct);
        var notice = form.Status == EndpointStatus.Disabled
            ? "The endpoint is disabled: its deliveries wait until it is enabled again."
            : "The endpoint is enabled, with a closed circuit: waiting deliveries go out now.";
        return await DetailPageAsync(http, antiforgery, scope, updated!, health, options, clock, null, null, notice, null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> RotateAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox,
        WebhookEndpointService endpoints, EndpointHealth health, ConsoleAccounts accounts, IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var form = await WebhookForm.ReadAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, form.Environment, ct);
        if (await endpoints.RotateSecretAsync(scope.Environment, id, null, ct) is not { } rotated)
        {
            return await NotFound(http, antiforgery, scope, endpoints, health, options, clock, id, ct);
        }

        await ConsolePage.AuditAsync(http, accounts, SecretRotated, $"{id} in {scope.Environment}", ct);
        var grace = options.CurrentValue.SecretRotationGracePeriod;
        var notice = grace > TimeSpan.Zero
            ? $"A new signing secret is made; copy it now, it is shown only this once. The old one keeps signing too until {ConsolePage.When(rotated.Endpoint.PreviousSecretExpiresAt)}, so your receiver can switch in the meantime."
            : "A new signing secret is made; copy it now, it is shown only this once. The old one no longer signs.";
        return await DetailPageAsync(http, antiforgery, scope, rotated.Endpoint, health, options, clock, null, rotated.Secret, notice, null, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> TestAsync(
        string id, HttpContext http, IAntiforgery antiforgery, EnvironmentService environments, SandboxMode sandbox,
        WebhookEndpointService endpoints, EndpointHealth health, ConsoleAccounts accounts, IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var form = await WebhookForm.ReadAsync(http, ct);
        var scope = await ConsolePage.ScopeAsync(http, environments, sandbox, form.Environment, ct);
        if (await endpoints.FindAsync(scope.Environment, id, ct) is not { } endpoint)
        {
            return await NotFound(http, antiforgery, scope, endpoints, health, options, clock, id, ct);
        }

        if (endpoint.Status != EndpointStatus.Enabled)
        {
            return await DetailPageAsync(http, antiforgery, scope, endpoint, health, options, clock, null, null, null,
                "The endpoint is disabled, so nothing would be sent: enable it first.", StatusCodes.Status409Conflict, ct);
        }

        var (eventId, _) = await endpoints.SendTestAsync(endpoint, ct);
        await ConsolePage.AuditAsync(http, accounts, TestSent, $"{id} in {scope.Environment}: {eventId}", ct);
        return await DetailPageAsync(http, antiforgery, scope, endpoint, health, options, clock, null, null,
            $"A webhook.test event ({eventId}) is on its way to this endpoint. Its page shows each attempt.",
            ConsolePage.Url("/console/events/" + eventId, ("environment", scope.Environment)), StatusCodes.Status202Accepted, ct);
    }

    private static async Task<IResult> ListPageAsync(
        HttpContext http, IAntiforgery antiforgery, ConsoleEnvironmentScope scope, WebhookEndpointService endpoints, EndpointHealth health, IOptionsMonitor<WebhookDeliveryOptions> options,
        TimeProvider clock, string? cursor, WebhookFormView form, string? error, int status, CancellationToken ct)
    {
        var page = await endpoints.ListAsync(scope.Environment, cursor, 50, ct);
        var healths = await health.ForAsync(page.Items.Select(e => e.Id).ToList(), ct);
        var now = clock.GetUtcNow();
        var rows = page.Items.Select(e => Row(scope, e, healths[e.Id], options, now)).ToList();
        return new RazorComponentResult<WebhooksPage>(new
        {
            Frame = ConsolePage.Frame(http, antiforgery),
            Scope = scope,
            Rows = rows,
            Form = form,
            Error = error,
            NextPageUrl = page.NextCursor is null ? null : ConsolePage.Url("/console/webhooks", ("environment", scope.Environment), ("cursor", page.NextCursor)),
            FirstPageUrl = cursor is null ? null : ConsolePage.Url("/console/webhooks", ("environment", scope.Environment)),
        }) { StatusCode = status };
    }

    private static async Task<IResult> DetailPageAsync(
        HttpContext http, IAntiforgery antiforgery, ConsoleEnvironmentScope scope, WebhookEndpointEntity endpoint, EndpointHealth health, IOptionsMonitor<WebhookDeliveryOptions> options,
        TimeProvider clock, WebhookFormView? form, string? secret, string? notice, string? noticeLinkOrError, int status, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var view = WebhookEndpointView.From(endpoint, options.CurrentValue.CircuitBreakerThreshold, now);
        var row = Row(scope, endpoint, (await health.ForAsync([endpoint.Id], ct))[endpoint.Id], options, now);
        var failed = status >= 400;
        var detail = new WebhookDetailView(
            row, view.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture), view.CircuitOpenUntil is null ? null : ConsolePage.When(view.CircuitOpenUntil),
            view.PreviousSecretExpiresAt is null ? null : ConsolePage.When(view.PreviousSecretExpiresAt), ConsolePage.When(view.CreatedAt),
            secret, notice, failed ? null : noticeLinkOrError, failed ? noticeLinkOrError : null);
        return new RazorComponentResult<WebhookPage>(new
        {
            Frame = ConsolePage.Frame(http, antiforgery),
            Scope = scope,
            Detail = detail,
            Form = form ?? new WebhookFormView(view.Url, string.Join(" ", view.Events), view.Description),
        }) { StatusCode = status };
    }

    private static async Task<IResult> NotFound(
        HttpContext http, IAntiforgery antiforgery, ConsoleEnvironmentScope scope, WebhookEndpointService endpoints, EndpointHealth health, IOptionsMonitor<WebhookDeliveryOptions> options,
        TimeProvider clock, string id, CancellationToken ct)
        => await ListPageAsync(http, antiforgery, scope, endpoints, health, options, clock, null, new WebhookFormView(null, "*", null),
            $"There is no webhook endpoint '{(id.Length <= 64 ? id : id[..64] + "…")}' in environment '{scope.Environment}'.", StatusCodes.Status404NotFound, ct);

    private static WebhookRowView Row(ConsoleEnvironmentScope scope, WebhookEndpointEntity e, EndpointHealthView h, IOptionsMonitor<WebhookDeliveryOptions> options, DateTimeOffset now)
    {
        var view = WebhookEndpointView.From(e, options.CurrentValue.CircuitBreakerThreshold, now);
        var rate = h.SuccessRate is { } r
            ? $"{(r * 100).ToString("0", CultureInfo.InvariantCulture)}% of {h.Attempts} attempt{(h.Attempts == 1 ? "" : "s")} in {EndpointHealth.Window.TotalHours:0} h"
            : $"no attempts in {EndpointHealth.Window.TotalHours:0} h";
        var last = h.LastAttemptAt is null ? "never" : $"{ConsolePage.When(h.LastAttemptAt)}: {h.LastOutcome}{(h.LastStatusCode is { } code ? $" ({code})" : "")}";
        return new WebhookRowView(view.Id, view.Url, view.Description, string.Join(" ", view.Events), view.Status, view.Circuit.Replace('_', ' '), rate, last,
            ConsolePage.Url("/console/webhooks/" + Uri.EscapeDataString(view.Id), ("environment", scope.Environment)));
    }

    private static string?[]? SplitEvents(string? events)
        => events is null ? null : events.Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Message(ProblemHttpResult problem) => problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "The form has a value AdoBridge cannot accept.";
}
