// Razor components are public classes, so the types of their parameters must be public too.
#pragma warning disable CA1515 // Consider making public types internal: component parameter types cannot be internal.

namespace AdoBridge.AdminConsole;

/// <summary>A registered OAuth client of /mcp: how it registered, where it may redirect, and its tokens in the environment shown.</summary>
public sealed record McpClientRowView(string ClientId, string Name, string Registration, IReadOnlyList<string> RedirectUris, string LastTokenIssued, int ActiveTokens);

/// <summary>One valid MCP token (never its value): its client, the connection it acts as, and when it was issued and expires.</summary>
public sealed record McpTokenRowView(string Id, string Type, string Client, string ConnectionId, string Issued, string Expires);

/// <summary>The MCP clients page.</summary>
public sealed record McpClientsView(ConsoleEnvironmentScope Scope, IReadOnlyList<McpClientRowView> Clients, IReadOnlyList<McpTokenRowView> Tokens, ConsoleMessage? Message);

/// <summary>One policy as listed, its lists as text ("all" when the policy leaves one out).</summary>
public sealed record McpPolicyRowView(string Subject, string? Label, string Environment, string Toolsets, bool ReadOnly, string Organizations, string Projects, bool ApproveDestructive, string Updated);

/// <summary>The policy form: what was entered (or the policy being edited), and the choices it offers.</summary>
public sealed record McpPolicyFormView(
    string? Subject, bool AllToolsets, IReadOnlyList<string> Toolsets, bool ReadOnly, string Organizations, string Projects, bool ApproveDestructive,
    IReadOnlyList<string> ToolsetChoices, IReadOnlyList<(string Subject, string Label)> Subjects);

/// <summary>The policies page.</summary>
public sealed record McpPoliciesView(ConsoleEnvironmentScope Scope, IReadOnlyList<McpPolicyRowView> Policies, McpPolicyFormView Form, ConsoleMessage? Message);

/// <summary>One approval of a destructive call: the tool, its arguments as stored (secrets redacted), who asked, and its state.</summary>
public sealed record McpApprovalRowView(
    string Id, string Status, string Tool, string Arguments, string Subject, string ConnectionId, string? Organization, string Asked, string Expires,
    string? Decided, string? DecidedBy, string? Reason, string DetailUrl);

/// <summary>The approvals page: pending ones first, then recently decided ones.</summary>
public sealed record McpApprovalsView(ConsoleEnvironmentScope Scope, IReadOnlyList<McpApprovalRowView> Pending, IReadOnlyList<McpApprovalRowView> Decided, ConsoleMessage? Message);

/// <summary>One recorded tool call.</summary>
public sealed record McpCallRowView(string Id, string Tool, string Outcome, bool IsError, string KeyId, string? ConnectionId, string? Organization, string Duration, string At, string? ApprovalUrl);

/// <summary>The tool calls filter, echoed into its form.</summary>
public sealed record McpCallsQueryView(ConsoleEnvironmentScope Scope, string? Tool, string? Outcome, IReadOnlyList<string> Tools);

/// <summary>One page of tool calls, newest first, and the links to the next and first pages (null when there is none).</summary>
public sealed record McpCallsResultView(IReadOnlyList<McpCallRowView> Rows, string? NextPageUrl, string? FirstPageUrl, string? Error);
