namespace AdoBridge.Webhooks.Delivery;

/// <summary>How events reach the product's webhook endpoints (section `AdoBridge:Webhooks`).</summary>
internal sealed class WebhookDeliveryOptions
{
    public const string Section = "AdoBridge:Webhooks";

    /// <summary>The retry delays used when <see cref="RetrySchedule"/> is not set: about a day in all, then the delivery is dead.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(8),
    ];

    /// <summary>How often the dispatcher and sender look for work when nothing in this instance woke them (other instances' events, due retries).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Undispatched events the dispatcher claims per transaction.</summary>
    public int DispatchBatchSize { get; set; } = 500;

    /// <summary>Requests in flight at once from this instance, over all endpoints.</summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>Requests in flight at once from this instance to one endpoint, so one slow endpoint cannot take every slot.</summary>
    public int MaxConcurrencyPerEndpoint { get; set; } = 4;

    /// <summary>How long one delivery attempt may take (connect, send, answer) before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra lease time beyond <see cref="Timeout"/> for recording the outcome; a lease left by a crashed instance is taken over after it.</summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Delays before each retry (attempt 2, 3, …); after the last one fails the delivery is dead. Unset: <see cref="DefaultRetrySchedule"/>.</summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>Random spread applied to each retry delay, as a fraction (0.2 = ±20 %), so retries of many events do not arrive together.</summary>
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>Consecutive failed attempts to one endpoint that open its circuit (its deliveries wait, without using attempts).</summary>
    public int CircuitBreakerThreshold { get; set; } = 5;

    /// <summary>How long a circuit stays open the first time; it doubles each time the trial request after it fails.</summary>
    public TimeSpan CircuitBreakerOpenDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a circuit stays open before the next trial request.</summary>
    public TimeSpan CircuitBreakerMaxOpenDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>After a secret rotation, how long the previous secret keeps signing too (both signatures are sent).</summary>
    public TimeSpan SecretRotationGracePeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an instance reuses its copy of the endpoint list; changes made through this instance apply at once.</summary>
    public TimeSpan EndpointCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Disable an endpoint that answers 410 Gone (the receiver says it no longer exists); its deliveries wait until it is enabled again.</summary>
    public bool DisableEndpointOnGone { get; set; } = true;

    /// <summary>
    /// Private destinations webhooks may be sent to after all: CIDRs (`10.20.0.0/16`, `fd00::/8`), single addresses, or host
    /// names (`hooks.internal`). Everything else that is loopback, private, link-local, unique-local and the like is refused.
    /// </summary>
    public string[]? AllowedPrivateDestinations { get; set; }

    /// <summary>Webhook endpoints one environment may register; it bounds how many deliveries one event fans out to.</summary>
    public int MaxEndpointsPerEnvironment { get; set; } = 100;

    /// <summary>Webhook requests this instance starts per second, over all endpoints, so a burst of events cannot become a flood.</summary>
    public int MaxRequestsPerSecond { get; set; } = 1000;

    /// <summary>Run the dispatcher and sender in this instance (turn off on instances that should only serve the API).</summary>
    public bool Enabled { get; set; } = true;

    internal IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule is { Length: > 0 } custom ? custom : DefaultRetrySchedule;
}
