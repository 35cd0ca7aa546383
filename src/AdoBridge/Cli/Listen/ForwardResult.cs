namespace AdoBridge.Cli.Listen;

/// <summary>One event forwarded (or not) to the local app: what it was, how the app answered, and how long it took.</summary>
/// <param name="EventId">The event id, sent as `webhook-id`.</param>
/// <param name="Type">The event type.</param>
/// <param name="Cursor">The stream position of the entry; the listener resumes after it.</param>
/// <param name="IsReplay">True when someone replayed the event (it arrived before).</param>
/// <param name="StatusCode">The local app's status code; null when it could not be reached.</param>
/// <param name="Duration">From sending the request to the end of the answer.</param>
/// <param name="Error">Why the local app could not be reached; null when it answered.</param>
internal sealed record ForwardResult(string EventId, string Type, string Cursor, bool IsReplay, int? StatusCode, TimeSpan Duration, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
