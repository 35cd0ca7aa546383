// Razor components are public classes, so the types of their parameters must be public too.
#pragma warning disable CA1515 // Consider making public types internal: component parameter types cannot be internal.

namespace AdoBridge.AdminConsole;

/// <summary>
/// A bulk replay run's page: where it stands (state, done of total), what it replays (the filter, described), who
/// started it and when, and the links back; <see cref="Running"/> makes the page poll and offer Cancel.
/// </summary>
public sealed record BulkReplayRunView(
    string Id, string Environment, string State, int Done, int Total, string Filter, string StartedBy, string Created, string Updated, string? Error,
    string EventsUrl, string? Notice)
{
    public bool Running => State == "running";

    /// <summary>Done as a whole percentage of the total (100 for an empty run).</summary>
    public int Percent => Total <= 0 ? 100 : (int)Math.Min(100, Done * 100L / Total);
}

/// <summary>The recent bulk replay runs of an environment, newest first.</summary>
public sealed record BulkReplayRunsView(ConsoleEnvironmentScope Scope, IReadOnlyList<BulkReplayRunView> Runs, string? NextPageUrl);
