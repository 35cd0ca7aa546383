using System.CommandLine;

namespace AdoBridge.Cli.Commands;

/// <summary>Paging options every list command has: a page by cursor, or every page with --all.</summary>
internal sealed class ListOptions
{
    public Option<int?> Limit { get; } = new("--limit") { Description = "Items per page (the server's default when not given).", HelpName = "n" };

    public Option<string?> Cursor { get; } = new("--cursor") { Description = "The page after this cursor (printed under a table, nextCursor in JSON).", HelpName = "cursor" };

    public Option<bool> All { get; } = new("--all") { Description = "Every page, not only the first." };

    public void AddTo(Command command)
    {
        command.Options.Add(Limit);
        command.Options.Add(Cursor);
        command.Options.Add(All);
    }
}
