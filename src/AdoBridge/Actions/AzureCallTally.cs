namespace AdoBridge.Actions;

/// <summary>
/// Counts the Azure DevOps calls the typed actions make in the current async flow and keeps the last status, for a
/// front door that records them (the MCP audit). Off (free) unless a caller started a tally.
/// </summary>
internal sealed class AzureCallTally
{
    private static readonly AsyncLocal<AzureCallTally?> Active = new();

    private int calls;
    private int lastStatus;

    public int Calls => Volatile.Read(ref calls);

    /// <summary>The HTTP status of the last call Azure DevOps answered; null when none answered.</summary>
    public int? LastStatus => Volatile.Read(ref lastStatus) is var s && s > 0 ? s : null;

    /// <summary>Starts a tally for the current async flow (and what it awaits); the previous one is restored on dispose.</summary>
    public static Scope Start() => new(new AzureCallTally());

    internal static void Record(int? status)
    {
        if (Active.Value is { } tally)
        {
            Interlocked.Increment(ref tally.calls);
            if (status is { } s)
            {
                Volatile.Write(ref tally.lastStatus, s);
            }
        }
    }

    internal readonly struct Scope : IDisposable
    {
        private readonly AzureCallTally? previous;

        public Scope(AzureCallTally tally)
        {
            previous = Active.Value;
            Tally = tally;
            Active.Value = tally;
        }

        public AzureCallTally Tally { get; }

        public void Dispose() => Active.Value = previous;
    }
}
