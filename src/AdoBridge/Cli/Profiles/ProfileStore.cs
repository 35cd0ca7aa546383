using System.Text.Json;

namespace AdoBridge.Cli.Profiles;

/// <summary>
/// Profiles in `adobridge/profiles.json` under the user's configuration folder ($XDG_CONFIG_HOME or ~/.config on Linux and
/// macOS, %APPDATA% on Windows). The file holds API keys, so it is created readable by its owner only (0600, folder 0700),
/// and narrowed again if something widened it.
/// </summary>
internal sealed class ProfileStore(string path)
{
    public const string DefaultName = "default";
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Path { get; } = path;

    public static ProfileStore ForCurrentUser()
        => new(System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "adobridge", "profiles.json"));

    public ProfileFile Load()
    {
        if (!File.Exists(Path))
        {
            return new ProfileFile();
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(Path), CliJsonContext.Default.ProfileFile) ?? new ProfileFile();
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Error, "profile_file_invalid", $"The profile file {Path} is not valid JSON ({e.Message}).",
                "Fix or delete the file, then run `adobridge login` again.");
        }
    }

    public void Save(ProfileFile file)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }

        // Written to a new owner-only file and moved over the old one, so the keys are never readable by others, not even briefly.
        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, file, CliJsonContext.Default.ProfileFile);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, OwnerOnlyFile);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
