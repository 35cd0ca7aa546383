namespace AdoBridge.Emulator;

/// <summary>A service hook subscription (publisher tfs, consumer webHooks/httpRequest).</summary>
internal sealed class HookSubscriptionData
{
    public Guid Id { get; set; }
    public string Organization { get; set; } = "";
    public string PublisherId { get; set; } = "tfs";
    public string EventType { get; set; } = "";
    public string ResourceVersion { get; set; } = "1.0";
    public string ConsumerId { get; set; } = "webHooks";
    public string ConsumerActionId { get; set; } = "httpRequest";
    public Dictionary<string, string> PublisherInputs { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> ConsumerInputs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>enabled, onProbation, disabledByUser, disabledBySystem, disabledByInactiveIdentity.</summary>
    public string Status { get; set; } = "enabled";
    public int ProbationRetries { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedDate { get; set; }
    public Guid ModifiedBy { get; set; }
    public DateTimeOffset ModifiedDate { get; set; }
    public DateTimeOffset? LastProbationRetryDate { get; set; }
}
