namespace AdoBridge.Emulator;

// Git content the admin API and benchmarks add.
public sealed partial class EmulatorState
{
    /// <summary>Registers a generated file of <paramref name="length"/> bytes at <paramref name="path"/> on every branch of the
    /// repository; the items API streams it with Content-Length without holding it in memory.</summary>
    public EmulatorSyntheticFile AddSyntheticFile(Guid repositoryId, string path, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var file = new EmulatorSyntheticFile(repositoryId, "/" + path.Replace('\\', '/').Trim('/'), length);
        Write(d =>
        {
            if (d.Repositories.All(r => r.Id != repositoryId))
            {
                throw new ArgumentException($"No repository '{repositoryId}'.", nameof(repositoryId));
            }

            d.SyntheticFiles.RemoveAll(f => f.RepositoryId == repositoryId && f.Path == file.Path);
            d.SyntheticFiles.Add(file);
        });
        return file;
    }
}
