// Razor components are public classes, so the types of their parameters must be public too.
#pragma warning disable CA1515 // Consider making public types internal: component parameter types cannot be internal.

namespace AdoBridge.AdminConsole;

/// <summary>A line a page shows after an action: what happened, or why it was refused and what to do.</summary>
public sealed record ConsoleMessage(string Text, bool IsError);

/// <summary>A secret shown once, right after it was made (a connect link, an API key): the page never shows it again.</summary>
public sealed record OneTimeSecretView(string Label, string Value, string Note);

/// <summary>One connection's facts for its page, as plain text.</summary>
public sealed record ConnectionDetailView(
    string Id, string Environment, string Status, string? StatusReason, string? ErrorCode, string EndUser, string App, string AuthType,
    IReadOnlyList<string> Organizations, string? ServerUrl, string? Identity, string TokenExpires, string LastRefreshed, string NextRefresh,
    string Created, string Updated);

/// <summary>One service hook of a subscription: its event, Azure DevOps' state for it, and when it last heard something.</summary>
public sealed record HookRowView(string Event, string AzureStatus, string LastEvent, string LastChecked);

/// <summary>One subscription with its hooks' health.</summary>
public sealed record SubscriptionRowView(
    string Id, string Where, string Status, string? StatusReason, string? MissedSince, string LastChecked, IReadOnlyList<HookRowView> Hooks);

/// <summary>This instance's proxy counters for a connection.</summary>
public sealed record ProxyStatsView(long Requests, long ClientErrors, long ServerErrors, long Throttled, long Retries, long AuthFailures, string LastStatus, string LastAt);

/// <summary>One event in a short list.</summary>
public sealed record RecentEventRowView(string Id, string Type, string Status, string Created);

/// <summary>One API key as listed: never its value.</summary>
public sealed record ApiKeyRowView(string Id, string Prefix, string Name, string Environment, string Role, string Created, string LastUsed, string? Revoked, bool CanRevoke);

/// <summary>The API keys page's create form: its values, and the choices this account may make.</summary>
public sealed record ApiKeyFormView(string? Name, string? Environment, string? Role, IReadOnlyList<string> Environments, IReadOnlyList<string> Roles);

/// <summary>One environment as listed.</summary>
public sealed record EnvironmentRowView(string Id, string Name, string Created);

/// <summary>One console account on the users page; <see cref="IsSelf"/> hides its remove button.</summary>
public sealed record ConsoleUserRowView(string Id, string UserName, string Role, string? Environment, string Created, string LastSignIn, bool IsSelf);

/// <summary>One pending invitation on the users page (never its link).</summary>
public sealed record ConsoleInviteRowView(string Id, string Role, string? Environment, string? Note, string InvitedBy, string Created, string Expires);

/// <summary>One line of the overview's lists: text, an optional link, and an optional detail.</summary>
public sealed record OverviewItemView(string Text, string? Href, string? Detail);

/// <summary>What the overview shows.</summary>
public sealed record OverviewView(
    string Instance, bool Ready, IReadOnlyList<string> FailingChecks, string Started,
    long Backlog, string? OldestPendingAge, string EventsPerMinute, long EventsLastHour,
    IReadOnlyList<OverviewItemView> FailingEndpoints, IReadOnlyList<OverviewItemView> ExpiringSecrets, IReadOnlyList<OverviewItemView> ExpiringPats,
    long NeedsReauthCount, IReadOnlyList<OverviewItemView> NeedsReauth, string Scope);
