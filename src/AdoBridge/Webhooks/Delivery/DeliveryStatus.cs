namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// A delivery's stored status (`pending`, `succeeded`, `dead`) and the status the API shows, which splits `pending`
/// into `pending` (not tried yet) and `failed` (tried, retrying on schedule).
/// </summary>
internal static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Dead = "dead";

    /// <summary>Shown for a pending delivery that has failed at least once.</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> Shown = [Pending, Failed, Succeeded, Dead];

    public static string Show(string stored, int attempts) => stored == Pending && attempts > 0 ? Failed : stored;
}

/// <summary>Attempt outcomes recorded in delivery_attempts.</summary>
internal static class AttemptOutcome
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Timeout = "timeout";
    public const string Error = "error";

    /// <summary>The destination policy refused the endpoint's address; nothing was sent.</summary>
    public const string DestinationRefused = "destination_refused";
}
