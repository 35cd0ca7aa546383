// Razor components are public classes, so the types of their parameters must be public too.
#pragma warning disable CA1515 // Consider making public types internal: component parameter types cannot be internal.

namespace AdoBridge.AdminConsole;

/// <summary>One app in the apps list, with what needs the operator's attention.</summary>
public sealed record AppRowView(string Name, string Type, string Source, bool Valid, int Errors, int Warnings, string? SecretsDue);

/// <summary>A value the operator copies into the Azure portal (or from it), shown with a copy button.</summary>
public sealed record GuideValue(string Label, string Value);

/// <summary>One step of a setup guide: the portal screen, what to do there, and the exact values it needs.</summary>
public sealed record GuideStep(string Screen, string Text, IReadOnlyList<GuideValue> Values);

/// <summary>A setup guide for one kind of app: the steps in the Azure portal (or Azure DevOps), then the form that takes what they produced.</summary>
public sealed record AppGuideView(string Kind, string Title, string Summary, string? Warning, IReadOnlyList<GuideStep> Steps, IReadOnlySet<string> Fields);

/// <summary>What the guide's form holds, echoed back with the errors when it is refused. Secret values are never echoed.</summary>
public sealed record AppFormView(
    string? Name, string? DisplayName, string? TenantMode, string? Tenant, string? ClientId, string? SecretId, string? SecretExpires,
    string? AuthorityHost, string? ManagedIdentityClientId, string? FederatedTokenFile, string? ServerUrl, string? Scopes, string? ReturnUrls);

/// <summary>A finding shown on a page: the field or check, whether it fails or warns, what is wrong, and the fix.</summary>
public sealed record FindingView(string Name, string Status, string Message, string? Fix);

/// <summary>One client secret of an app: its id, expiry, fingerprint, and how soon it needs replacing.</summary>
public sealed record AppSecretView(string Id, string? Expires, string Fingerprint, string? Due);

/// <summary>An app's page: its settings, secrets, redirect URI and the static findings; the live doctor is loaded separately.</summary>
public sealed record AppDetailView(
    string Name, string Type, string Source, bool Editable, string? DisplayName, string? Tenant, string? ClientId, string RedirectUri,
    IReadOnlyList<AppSecretView> Secrets, bool UsesSecrets, IReadOnlyList<FindingView> Findings, IReadOnlyList<string> Environments);

/// <summary>The live doctor's report for the page.</summary>
public sealed record DoctorView(string App, string Verdict, IReadOnlyList<FindingView> Checks);

/// <summary>Where a test connection started from the app's page stands.</summary>
public sealed record TestConnectionView(string App, string SessionId, string Status, string? ConnectUrl, string? ConnectionId, string? Error, string PollUrl);
