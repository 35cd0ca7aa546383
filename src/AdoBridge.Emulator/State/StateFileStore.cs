using System.Text.Json;

namespace AdoBridge.Emulator;

/// <summary>Reads and writes the state file; writes go to a temp file renamed over the target so a crash never leaves half a file.</summary>
internal static class StateFileStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static EmulatorData? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<EmulatorData>(stream, Json);
    }

    public static void Save(string path, EmulatorData data)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        // Owner-only (0600) on Unix: the state holds the emulator's tokens and secrets.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(JsonSerializer.SerializeToUtf8Bytes(data, Json));
        }

        File.Move(temp, full, overwrite: true);
    }
}
