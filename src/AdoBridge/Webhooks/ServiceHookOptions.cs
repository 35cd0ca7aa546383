namespace AdoBridge.Webhooks;

/// <summary>Service hooks from Azure DevOps (section `AdoBridge:ServiceHooks`).</summary>
internal sealed class ServiceHookOptions
{
    public const string Section = "AdoBridge:ServiceHooks";

    /// <summary>How often each subscription's hooks are read back from Azure DevOps and repaired; zero turns the check off.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A subscription that has received events and then none for this long is shown with an alarm; zero turns the alarm off.</summary>
    public TimeSpan SilenceAlarmAfter { get; set; } = TimeSpan.FromDays(1);
}
