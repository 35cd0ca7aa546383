namespace AdoBridge.Emulator;

/// <summary>Settings for the Azure DevOps + Entra ID emulator.</summary>
public sealed class EmulatorOptions
{
    /// <summary>When set, every /_admin/* route requires "Authorization: Bearer {AdminToken}".</summary>
    public string? AdminToken { get; set; }

    /// <summary>When set, state is loaded from this JSON file at start (if present) and saved after each change.</summary>
    public string? StateFile { get; set; }

    /// <summary>Seed the Fabrikam tenant, users, organisations and projects.</summary>
    public bool SeedDefaults { get; set; } = true;
}
