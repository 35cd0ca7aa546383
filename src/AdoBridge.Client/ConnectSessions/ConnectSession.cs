namespace AdoBridge.Client;

/// <summary>What to create a connect link for: the end user, and optionally the app, where to send them back, and a connection to restore.</summary>
public sealed record CreateConnectSessionRequest
{
    /// <summary>Your product's id for the user who will connect (at most 200 characters).</summary>
    public required string EndUserId { get; init; }

    /// <summary>Your product's name for the user, shown on the connect page.</summary>
    public string? EndUserDisplayName { get; init; }

    /// <summary>The app to sign in with; defaults to letting the user choose among valid apps.</summary>
    public string? App { get; init; }

    /// <summary>Where the user is sent back, with connectionId and status in the query; must be on the app's allowedReturnUrls.</summary>
    public Uri? ReturnUrl { get; init; }

    /// <summary>Restore this connection (same id) instead of creating a new one, e.g. after it went needs_reauth.</summary>
    public string? ReconnectConnectionId { get; init; }
}

/// <summary>A short-lived, single-use connect link: send the end user to <see cref="Url"/>.</summary>
/// <param name="Id">The session id.</param>
/// <param name="Url">The hosted connect page for the end user. Anyone holding it can connect, so hand it only to that user.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
public sealed record ConnectSession(string Id, Uri Url, DateTimeOffset ExpiresAt)
{
    /// <summary>Describes the session without the link, which works as a credential until it expires.</summary>
    public override string ToString() => $"ConnectSession {{ Id = {Id}, ExpiresAt = {ExpiresAt}, Url = *** }}";
}

/// <summary>Where a connect link stands, without the link itself.</summary>
/// <param name="Id">The session id.</param>
/// <param name="EndUserId">The end user the link was made for.</param>
/// <param name="Status"><c>pending</c>, <c>completed</c>, <c>failed</c> (the last sign-in failed; the user may still try again) or <c>expired</c>.</param>
/// <param name="ErrorCode">Why the last sign-in failed (<c>consent_declined</c>, <c>wrong_account</c>, <c>no_organizations</c>…), when <c>failed</c>.</param>
/// <param name="ConnectionId">The connection made or restored through the link, once <c>completed</c>.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
public sealed record ConnectSessionState(string Id, string EndUserId, string Status, string? ErrorCode, string? ConnectionId, DateTimeOffset ExpiresAt);
