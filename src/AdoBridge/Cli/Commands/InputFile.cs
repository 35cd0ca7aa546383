namespace AdoBridge.Cli.Commands;

/// <summary>Reads a request body from a file, or from stdin for "-".</summary>
internal static class InputFile
{
    public static async Task<string> ReadAsync(string path, CancellationToken ct)
    {
        if (path == "-")
        {
            return await Console.In.ReadToEndAsync(ct);
        }

        return File.Exists(path)
            ? await File.ReadAllTextAsync(path, ct)
            : throw new CliException(ExitCodes.NotFound, "file_not_found", $"There is no file {Path.GetFullPath(path)}.", "Give the path of a JSON file, or - to read stdin.");
    }
}
