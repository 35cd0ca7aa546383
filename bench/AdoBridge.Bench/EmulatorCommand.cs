using AdoBridge.Emulator;

namespace AdoBridge.Bench;

/// <summary>Runs the emulator in its own process, so a benchmark measures AdoBridge and not the emulator sharing its process.</summary>
internal static class EmulatorCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = Args.GetInt(args, "--port", 5081);
        var token = Args.Get(args, "--admin-token");
        await using var host = await EmulatorHost.StartAsync(port, o => o.AdminToken = token);
        Console.WriteLine($"emulator listening on {host.BaseUrl}");
        var done = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => done.TrySetResult();
        await done.Task;
        return 0;
    }
}
