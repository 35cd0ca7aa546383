namespace AdoBridge.Actions;

internal static class ActionsServiceCollectionExtensions
{
    /// <summary>Typed actions; they send through the proxy's <see cref="AzureDevOps.DevOpsSender"/>, so AddProxy must run too.</summary>
    public static IServiceCollection AddActions(this IServiceCollection services) => services.AddSingleton<ActionCaller>();
}
