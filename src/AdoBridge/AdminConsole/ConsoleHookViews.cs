// Razor components are public classes, so the types of their parameters must be public too.
#pragma warning disable CA1515 // Consider making public types internal: component parameter types cannot be internal.

namespace AdoBridge.AdminConsole;

/// <summary>The environment a page shows and those the signed-in user may switch to.</summary>
public sealed record ConsoleEnvironmentScope(string Environment, IReadOnlyList<string> Environments);

/// <summary>One webhook endpoint with its health, as plain text for the page.</summary>
public sealed record WebhookRowView(
    string Id, string Url, string? Description, string Events, string Status, string Circuit, string SuccessRate, string LastAttempt, string DetailUrl);

/// <summary>The webhook endpoint form's values, echoed back when a field is refused.</summary>
public sealed record WebhookFormView(string? Url, string? Events, string? Description);

/// <summary>One webhook endpoint's page: its settings and health, the secret when it was just made (shown once), and what just happened.</summary>
public sealed record WebhookDetailView(
    WebhookRowView Endpoint, string ConsecutiveFailures, string? CircuitOpenUntil, string? PreviousSecretExpiresAt, string Created,
    string? Secret, string? Notice, string? NoticeLink, string? Error);

/// <summary>The event log's filter as typed, echoed into its form; the error says what is wrong with it.</summary>
public sealed record EventQueryView(
    string Environment, string? Type, string? ConnectionId, string? Status, string? Since, string? Until, string? Source, string? Search,
    IReadOnlyList<string> Environments, IReadOnlyList<string> Statuses);

/// <summary>One row of the event log.</summary>
public sealed record EventRowView(string Id, string Type, string Status, string? ConnectionId, string Where, string Created, string DetailUrl);

/// <summary>One page of the event log, the pager links, and the link to replay everything the filter matches.</summary>
public sealed record EventResultView(IReadOnlyList<EventRowView> Rows, string? NextPageUrl, string? FirstPageUrl, string? BulkReplayUrl, string? Error, string? Note = null);

/// <summary>One attempt of a delivery.</summary>
public sealed record AttemptRowView(int Attempt, string Started, string Duration, string StatusCode, string Outcome, string? Error, string? ResponseExcerpt);

/// <summary>One delivery of an event with its attempts.</summary>
public sealed record DeliveryRowView(string Id, string EndpointId, string EndpointUrl, string Status, string? NextAttempt, IReadOnlyList<AttemptRowView> Attempts);

/// <summary>An event's page: what the product receives, the raw Azure DevOps payload, and every delivery.</summary>
public sealed record EventDetailView(
    string Id, string Type, string Source, string Status, string? ConnectionId, string Where, string Created, string Data, string? RawPayload,
    IReadOnlyList<DeliveryRowView> Deliveries, string Environment, string? Notice);

/// <summary>
/// A bulk replay in progress: the filter (as typed), the newest event the run covers, where it stands, and how it ended
/// (<see cref="Finished"/>, <see cref="Cancelled"/>); the page posts the next step while neither is set.
/// </summary>
public sealed record BulkReplayView(
    EventQueryView Query, string? Through, string? Cursor, int Done, int Total, bool Finished, bool Cancelled, string? Error);

/// <summary>One subscription's service-hook health.</summary>
public sealed record ServiceHookRowView(
    string Id, string ConnectionId, string Scope, string Status, string? StatusReason, string LastEvent, bool Silent, string Hooks, string LastChecked,
    string? EventsMayBeMissedSince, bool NeedsAttention);

/// <summary>The service-hook page: the subscriptions, the alarm threshold, and the outcome of a repair.</summary>
public sealed record ServiceHooksView(
    ConsoleEnvironmentScope Scope, bool AttentionOnly, IReadOnlyList<ServiceHookRowView> Rows, string? NextPageUrl, string? FirstPageUrl, string SilenceAlarmAfter,
    string? Notice, string? Error);
