using AdoBridge.Emulator;
using AdoBridge.Hosting;
using AdoBridge.Security;

namespace AdoBridge.Sandbox;

internal static class SandboxServiceCollectionExtensions
{
    public static IServiceCollection AddSandbox(this IServiceCollection services)
    {
        services.AddSingleton<SandboxSetup>();
        services.AddSingleton<SandboxTrigger>();
        services.AddAzureDevOpsEmulator();
        services.AddOptions<EmulatorOptions>().Configure<MasterKey, DataDirectory>((o, master, data) =>
        {
            o.AdminToken = SandboxSetup.AdminToken(master);
            o.StateFile = data.Combine("emulator-state.json");
        });
        return services;
    }
}
