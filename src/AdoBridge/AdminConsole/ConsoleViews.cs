// Razor components are public classes, so the types of their parameters must be public too.
#pragma warning disable CA1515 // Consider making public types internal: component parameter types cannot be internal.

namespace AdoBridge.AdminConsole;

/// <summary>What every console page's frame shows: who is signed in and the token its sign-out form posts.</summary>
public sealed record ConsoleFrame(string? UserName, string? Role, string AntiforgeryFieldName, string AntiforgeryToken);

/// <summary>One row of the connections list, as plain text for the page.</summary>
public sealed record ConnectionRowView(string Id, string Status, string? StatusReason, string EndUser, string App, string AuthType, string Organizations, string Created);

/// <summary>The connections page's filter, echoed into its form, and the choices its drop-downs offer.</summary>
public sealed record ConnectionsQueryView(
    string Environment, string? Search, string? Status, string? App, string? EndUser, string? Organization,
    IReadOnlyList<string> Environments, IReadOnlyList<string> Statuses, IReadOnlyList<string> Apps);

/// <summary>One page of the connections list and the links to the next and first pages (null when there is none).</summary>
public sealed record ConnectionsResultView(IReadOnlyList<ConnectionRowView> Rows, string? NextPageUrl, string? FirstPageUrl, string? Error);
