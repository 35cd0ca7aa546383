using System.Text.Json;

namespace AdoBridge.Cli.Listen;

/// <summary>
/// The listener's place in the stream, in a small JSON file next to the CLI's profile: the cursor after the last event it
/// forwarded. Written to a temporary file and moved over the old one, so a crash mid-write leaves the previous cursor.
/// </summary>
internal sealed class ListenState(string? path)
{
    private sealed record Saved(string Cursor, string? ForwardTo, DateTimeOffset SavedAt);

    public string? Load()
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Saved>(File.ReadAllText(path), JsonSerializerOptions.Web)?.Cursor;
        }
        catch (JsonException)
        {
            // A damaged file: start from now rather than refuse to listen.
            return null;
        }
    }

    public void Save(string cursor, Uri forwardTo, DateTimeOffset now)
    {
        if (path is null)
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Saved(cursor, forwardTo.GetLeftPart(UriPartial.Path), now), JsonSerializerOptions.Web));
        File.Move(temporary, path, overwrite: true);
    }
}
