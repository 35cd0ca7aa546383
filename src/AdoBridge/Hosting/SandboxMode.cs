namespace AdoBridge.Hosting;

/// <summary>Whether this instance runs against the bundled emulator, decided once at start-up.</summary>
internal sealed class SandboxMode
{
    public bool Enabled { get; set; }

    /// <summary>Why sandbox mode is on or off, for the banner.</summary>
    public string Reason { get; set; } = string.Empty;

    public const string EmulatorPrefix = "/_emulator";
}
