using AdoBridge.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

internal static class WebhookDeliveryServiceCollectionExtensions
{
    /// <summary>Webhook endpoints, the dispatcher and sender that deliver events to them, and the event log's retention.</summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services)
    {
        const string S = WebhookDeliveryOptions.Section;
        services.AddOptions<WebhookDeliveryOptions>().BindConfiguration(S)
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.PollInterval <= TimeSpan.FromMinutes(5), $"{S}:PollInterval must be between 0 and 5 minutes (default 00:00:01).")
            .Validate(o => o.DispatchBatchSize is > 0 and <= 5000, $"{S}:DispatchBatchSize must be between 1 and 5000 (default 500).")
            .Validate(o => o.MaxConcurrency is > 0 and <= 1024, $"{S}:MaxConcurrency must be between 1 and 1024 (default 32).")
            .Validate(o => o.MaxConcurrencyPerEndpoint > 0 && o.MaxConcurrencyPerEndpoint <= o.MaxConcurrency,
                $"{S}:MaxConcurrencyPerEndpoint must be at least 1 and at most {S}:MaxConcurrency (default 4).")
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(5), $"{S}:Timeout must be between 0 and 5 minutes (default 00:00:10).")
            .Validate(o => o.LeaseMargin >= TimeSpan.FromSeconds(1), $"{S}:LeaseMargin must be at least 1 second (default 00:00:30): it covers recording an attempt after it finished.")
            .Validate(o => o.RetrySchedule is null || (o.RetrySchedule.Length <= 100 && o.RetrySchedule.All(d => d >= TimeSpan.Zero)),
                $"{S}:RetrySchedule must list at most 100 non-negative delays, e.g. [\"00:00:05\", \"00:00:30\", \"00:02:00\"].")
            .Validate(o => o.RetryJitter is >= 0 and < 1, $"{S}:RetryJitter must be a fraction from 0 to below 1 (default 0.2 = ±20 %).")
            .Validate(o => o.CircuitBreakerThreshold is > 0 and <= 1000, $"{S}:CircuitBreakerThreshold must be between 1 and 1000 (default 5).")
            .Validate(o => o.CircuitBreakerOpenDuration > TimeSpan.Zero && o.CircuitBreakerOpenDuration <= o.CircuitBreakerMaxOpenDuration,
                $"{S}:CircuitBreakerOpenDuration must be positive and at most {S}:CircuitBreakerMaxOpenDuration (defaults 00:00:30 and 00:30:00).")
            .Validate(o => o.SecretRotationGracePeriod >= TimeSpan.Zero && o.SecretRotationGracePeriod <= TimeSpan.FromDays(30),
                $"{S}:SecretRotationGracePeriod must be between 0 and 30 days (default 1.00:00:00).")
            .Validate(o => o.EndpointCacheDuration >= TimeSpan.Zero && o.EndpointCacheDuration <= TimeSpan.FromMinutes(5),
                $"{S}:EndpointCacheDuration must be between 0 and 5 minutes (default 00:00:05).")
            .Validate(o => o.MaxEndpointsPerEnvironment is > 0 and <= 10_000, $"{S}:MaxEndpointsPerEnvironment must be between 1 and 10000 (default 100).")
            .Validate(o => o.MaxRequestsPerSecond is > 0 and <= 1_000_000, $"{S}:MaxRequestsPerSecond must be between 1 and 1000000 (default 1000).")
            .ValidateOnStart();
        services.AddOptions<EventRetentionOptions>().BindConfiguration(EventRetentionOptions.Section)
            .Validate(o => o.RetentionDays is > 0 and <= 3650, $"{EventRetentionOptions.Section}:RetentionDays must be between 1 and 3650 (default 30).")
            .Validate(o => o.CleanupInterval >= TimeSpan.FromSeconds(1), $"{EventRetentionOptions.Section}:CleanupInterval must be at least 1 second (default 01:00:00).")
            .Validate(o => o.CleanupBatchSize is > 0 and <= 10_000, $"{EventRetentionOptions.Section}:CleanupBatchSize must be between 1 and 10000 (default 1000).")
            .ValidateOnStart();

        services.AddSingleton<IValidateOptions<WebhookDeliveryOptions>, AllowListValidation>();
        services.TryAddSingleton<IDestinationResolver, DnsDestinationResolver>();
        services.AddSingleton<DestinationPolicy>();
        services.AddSingleton<DestinationConnector>();

        // The timeout is enforced per attempt by the sender, so it can tell a timeout from other failures; redirects are never
        // followed (the product registers its final URL), and pooled connections are recycled so DNS changes are seen.
        // Every connection goes through the destination policy, to the very address it vetted; no proxy, which would
        // connect on AdoBridge's behalf to wherever the URL says.
        services.AddHttpClient(WebhookHttpSender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                UseCookies = false,
                UseProxy = false,
                ConnectCallback = sp.GetRequiredService<DestinationConnector>().ConnectAsync,
                // The sender sends its delivery span's traceparent itself; HttpClient would replace it with its own span's.
                ActivityHeadersPropagator = null,
            })
            .RemoveAllLoggers(); // the factory's handlers log request URLs, and a webhook URL may carry a token in its query


        services.AddSingleton<EndpointDirectory>();
        services.AddSingleton<DeliveryFanOut>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<WebhookEndpointService>();
        services.AddSingleton<DeliveryClaims>();
        services.AddSingleton<WebhookHttpSender>();
        services.AddSingleton<DeliveryOutcomeWriter>();
        services.AddSingleton<EventLog>();
        services.AddSingleton<EndpointHealth>();
        services.AddPeriodicWorker<WebhookDispatcher>(WebhookDispatcher.WorkerName);
        services.AddSingleton<WebhookSender>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookSender>());
        services.AddPeriodicWorker<EventRetention>(EventRetention.WorkerName);
        return services;
    }
}
