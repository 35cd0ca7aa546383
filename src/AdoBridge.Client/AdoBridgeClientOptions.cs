namespace AdoBridge.Client;

/// <summary>Where AdoBridge is and how to authenticate to it.</summary>
public sealed class AdoBridgeClientOptions
{
    /// <summary>AdoBridge's base URL, e.g. https://adobridge.contoso.com/; defaults to the HttpClient's BaseAddress.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key (adbk_…) sent as a Bearer token; leave null when a handler in the HttpClient adds it.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Says whether a key is set, never the key itself.</summary>
    public override string ToString() => $"AdoBridgeClientOptions {{ BaseAddress = {BaseAddress}, ApiKey = {(ApiKey is null ? "(none)" : "***")} }}";
}
