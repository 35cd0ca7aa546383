using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Operations;

/// <summary>The data folder and every file AdoBridge keeps in it are readable by their owner only.</summary>
public sealed class DataDirectoryTests
{
    private const UnixFileMode OthersAndGroup = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task NewDataFolder_AndItsFiles_AreOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dir = Path.Combine(AdoBridgeServer.NewDataDir(), "data");
        await using (var server = await AdoBridgeServer.StartAsync(dataDir: dir))
        {
            // Writes that reach the database (WAL, shared memory) and the emulator's state file.
            using var api = server.Client();
            var pat = (await (await api.GetAsync("/v1/sandbox")).ShouldBeJsonAsync()).GetProperty("pat").GetString();
            (await api.PostAsJsonAsync("/v1/connections", new { type = "pat", endUserId = "modes", organization = "fabrikam", pat })).EnsureSuccessStatusCode();

            File.GetUnixFileMode(dir).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var files = Directory.GetFiles(dir).Select(Path.GetFileName).ToList();
            files.ShouldContain("adobridge.db");
            files.ShouldContain("adobridge.db-wal");
            files.ShouldContain("adobridge.db-shm");
            files.ShouldContain("master.key");
            files.ShouldContain("emulator-state.json");
            foreach (var file in Directory.GetFiles(dir))
            {
                (File.GetUnixFileMode(file) & OthersAndGroup).ShouldBe((UnixFileMode)0, $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}");
            }
        }
    }

    [Fact]
    public async Task ExistingFilesReadableByOthers_AreNarrowedAtStart()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dir = AdoBridgeServer.NewDataDir();
        await using (await AdoBridgeServer.StartAsync(dataDir: dir))
        {
        }

        var wide = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(Path.Combine(dir, "adobridge.db"), wide);
        File.SetUnixFileMode(Path.Combine(dir, "master.key"), wide);

        await using (await AdoBridgeServer.StartAsync(dataDir: dir))
        {
            File.GetUnixFileMode(Path.Combine(dir, "adobridge.db")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.GetUnixFileMode(Path.Combine(dir, "master.key")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
