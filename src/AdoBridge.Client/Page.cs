namespace AdoBridge.Client;

/// <summary>One page of a list; pass <see cref="NextCursor"/> back as the cursor for the next page (null on the last page).</summary>
/// <param name="Items">The items on this page, in the server's order.</param>
/// <param name="NextCursor">The cursor of the next page, or null when this is the last one.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
