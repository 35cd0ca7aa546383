namespace AdoBridge.Cli.Profiles;

/// <summary>The profile file as stored: the default profile's name and each profile by name.</summary>
internal sealed class ProfileFile
{
    public string? Default { get; set; }

    public Dictionary<string, ServerProfile> Profiles { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One AdoBridge server and the API key to use with it.</summary>
internal sealed class ServerProfile
{
    public required string Url { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Says which key without showing it: the public prefix AdoBridge lists keys by.</summary>
    public static string KeyHint(string? key) => key is null ? "(none)" : key.Length <= 12 ? "***" : key[..12] + "…";
}
