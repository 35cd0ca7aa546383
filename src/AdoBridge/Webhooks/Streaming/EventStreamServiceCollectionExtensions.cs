namespace AdoBridge.Webhooks.Streaming;

internal static class EventStreamServiceCollectionExtensions
{
    /// <summary>The event stream (GET /v1/events/stream): its sequencer, reader and per-key limit.</summary>
    public static IServiceCollection AddEventStream(this IServiceCollection services)
    {
        const string S = EventStreamOptions.Section;
        services.AddOptions<EventStreamOptions>().BindConfiguration(S)
            .Validate(o => o.MaxStreamsPerKey is > 0 and <= 1000, $"{S}:MaxStreamsPerKey must be between 1 and 1000 (default 5).")
            .Validate(o => o.HeartbeatInterval >= TimeSpan.FromSeconds(1) && o.HeartbeatInterval <= TimeSpan.FromMinutes(5), $"{S}:HeartbeatInterval must be between 1 second and 5 minutes (default 00:00:15).")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.PollInterval <= TimeSpan.FromMinutes(1), $"{S}:PollInterval must be between 0 and 1 minute (default 00:00:01).")
            .Validate(o => o.PageSize is > 0 and <= 5000, $"{S}:PageSize must be between 1 and 5000 (default 200).")
            .ValidateOnStart();
        services.AddSingleton<EventStreamPulse>();
        services.AddSingleton<EventStreamLimiter>();
        services.AddSingleton<EventStreamReader>();
        services.AddSingleton<EventStreamSession>();
        services.AddSingleton<EventStreamSequencer>();
        services.AddHostedService(sp => sp.GetRequiredService<EventStreamSequencer>());
        return services;
    }
}
