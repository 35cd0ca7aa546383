namespace AdoBridge.Operations;

/// <summary>The folder that holds the SQLite database, the master key file and the sandbox state.</summary>
internal sealed class DataDirectory
{
    public DataDirectory(IConfiguration configuration)
    {
        var configured = configuration["ADOBRIDGE_DATA_DIR"] ?? configuration["AdoBridge:DataDir"];
        Path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured.Trim());
    }

    public string Path { get; }

    public string Combine(string name)
    {
        Directory.CreateDirectory(Path);
        return System.IO.Path.Combine(Path, name);
    }
}
