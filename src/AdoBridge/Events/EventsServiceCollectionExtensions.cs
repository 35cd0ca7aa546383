using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AdoBridge.Events;

internal static class EventsServiceCollectionExtensions
{
    /// <summary>Recording lifecycle events in the caller's unit of work, and waking the dispatcher when they commit.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services)
    {
        services.AddSingleton<EventRecorder>();
        services.AddSingleton<EventSignal>();
        services.AddSingleton<EventStreamSignal>();
        services.AddSingleton<EventCommitSignal>();
        // Storage adds every registered interceptor to its contexts; this is how it learns of this one without depending on Events.
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<EventCommitSignal>());
        return services;
    }
}
