namespace AdoBridge.Client;

/// <summary>The next query of a page walk, or null at the end.</summary>
internal static class Paging
{
    public static TQuery? Next<TQuery>(TQuery query, string? cursor, string? nextCursor, Func<TQuery, string, TQuery> withCursor)
        where TQuery : class
    {
        if (nextCursor is null)
        {
            return null;
        }

        // A cursor that does not move would loop forever; a server (or proxy cache) doing that is a bug worth surfacing.
        return nextCursor == cursor
            ? throw new InvalidOperationException($"AdoBridge returned the same page cursor '{nextCursor}' twice; stopping instead of looping.")
            : withCursor(query, nextCursor);
    }
}
