using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AdoBridge.Emulator;

/// <summary>Maps the emulator's routes: Entra ID, legacy OAuth, Azure DevOps REST and the admin API.</summary>
public static class EmulatorEndpointRouteBuilderExtensions
{
    /// <summary>Maps every emulator route under <paramref name="prefix"/> ("" for a dedicated host) and returns the group.</summary>
    public static IEndpointConventionBuilder MapAzureDevOpsEmulator(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        var normalized = string.IsNullOrEmpty(prefix) || prefix == "/" ? string.Empty : "/" + prefix.Trim('/');
        var group = endpoints.MapGroup(normalized);
        group.WithMetadata(new EmulatorPrefixMetadata(normalized));
        group.ExcludeFromDescription();
        // The host's own authorization policies must not apply: the emulator does its own auth, like the real services.
        group.AllowAnonymous();
        group.AddEndpointFilter(EmulatorTrafficFilter.InvokeAsync);

        EntraApi.Map(group);
        LegacyOAuthApi.Map(group);
        DevOpsApi.Map(group);
        AdminApi.Map(group);
        return group;
    }
}
