namespace AdoBridge.Hosting;

internal static class HostingServiceCollectionExtensions
{
    /// <summary>The shared basics every capability may use: server options, the clock, the data folder, public URLs, the start-up gate, worker heartbeats and the sandbox flag.</summary>
    public static IServiceCollection AddHosting(this IServiceCollection services)
    {
        services.AddOptions<AdoBridgeOptions>().BindConfiguration(AdoBridgeOptions.Section)
            .Validate(o => o.Sandbox.Trim().ToLowerInvariant() is "auto" or "on" or "off" or "true" or "false",
                "AdoBridge:Sandbox must be 'auto', 'on' or 'off'.")
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicBaseUrl) || Uri.TryCreate(o.PublicBaseUrl.Trim(), UriKind.Absolute, out _),
                "AdoBridge:PublicBaseUrl must be an absolute URL such as https://adobridge.contoso.com.")
            .Validate(o => (o.SandboxReturnUrls ?? []).All(u => Uri.TryCreate(u, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"),
                "AdoBridge:SandboxReturnUrls must hold absolute http(s) URLs such as http://dev.contoso.test:3000/settings.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DataDirectory>();
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<StartupGate>();
        services.AddSingleton<WorkerHeartbeats>();
        services.AddSingleton<SandboxMode>();
        return services;
    }
}
