namespace AdoBridge.Hosting;

/// <summary>
/// The folder that holds the SQLite database, the master key file and the sandbox state. On Unix the folder is created
/// owner-only (0700) and every file AdoBridge keeps in it is owner-only (0600): it holds the database with sealed secrets
/// and the key that opens them.
/// </summary>
internal sealed class DataDirectory
{
    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public DataDirectory(IConfiguration configuration)
    {
        var configured = configuration["ADOBRIDGE_DATA_DIR"] ?? configuration["AdoBridge:DataDir"];
        Path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured.Trim());
    }

    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> in the folder, creating the folder (owner-only) if it is missing.</summary>
    public string Combine(string name)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
        }
        else if (!Directory.Exists(Path))
        {
            // An existing folder keeps the mode its owner gave it (a mounted volume may need group access); a new one is private.
            Directory.CreateDirectory(Path, OwnerOnlyFolder);
        }

        return System.IO.Path.Combine(Path, name);
    }

    /// <summary>
    /// The path of a file AdoBridge keeps in the folder, which exists afterwards, owner-only: created empty with mode 0600 if
    /// missing (SQLite gives its -wal and -shm files the database file's mode), narrowed to 0600 if it was readable by others.
    /// </summary>
    public string PrivateFile(string name)
    {
        var path = Combine(name);
        if (OperatingSystem.IsWindows())
        {
            return path;
        }

        try
        {
            using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile }))
            {
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            Narrow(path);
        }

        return path;
    }

    /// <summary>Narrows an existing file of the folder to owner-only; does nothing if it is missing.</summary>
    public void NarrowIfPresent(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            Narrow(path);
        }
    }

    private static void Narrow(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & ~OwnerOnlyFile) != 0)
        {
            File.SetUnixFileMode(path, mode & OwnerOnlyFile);
        }
    }
}
