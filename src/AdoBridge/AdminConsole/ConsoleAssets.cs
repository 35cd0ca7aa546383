namespace AdoBridge.AdminConsole;

/// <summary>
/// The console's static files, embedded in the server (htmx is vendored from the npm package htmx.org 4.0.1, copied
/// as is; no CDN and no Node at build or run time). Served with a long cache lifetime under a versioned query-free name.
/// </summary>
internal static class ConsoleAssets
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = Load();

    public static IResult Serve(string name, HttpContext http)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return Results.NotFound();
        }

        http.Response.Headers.CacheControl = "public, max-age=3600";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(file.Content, file.Type);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var (name, type) in new[] { ("htmx.min.js", "text/javascript; charset=utf-8"), ("console.css", "text/css; charset=utf-8"), ("console.js", "text/javascript; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream("console-assets/" + name)
                               ?? throw new InvalidOperationException($"The console asset {name} is not embedded in the server.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = (copy.ToArray(), type);
        }

        return files;
    }
}
