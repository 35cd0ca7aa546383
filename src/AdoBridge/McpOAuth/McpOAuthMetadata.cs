using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AdoBridge.McpOAuth;

/// <summary>
/// What AdoBridge's authorization server metadata (RFC 8414) says beyond OpenIddict's own: the registration endpoint
/// (RFC 7591), that a client_id may be a client ID metadata document URL, and that resources are indicated (RFC 8707).
/// </summary>
internal sealed class McpOAuthMetadata(McpResource resource, IOptionsMonitor<McpOAuthOptions> options) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Handler { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
        .UseSingletonHandler<McpOAuthMetadata>()
        .SetOrder(int.MaxValue - 100_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        var issuer = resource.Issuer.TrimEnd('/');
        context.Metadata["registration_endpoint"] = issuer + McpResource.RegisterPath;
        context.Metadata["client_id_metadata_document_supported"] = options.CurrentValue.ClientMetadataDocuments;
        context.Metadata["resource_indicators_supported"] = true;
        context.Metadata["protected_resources"] = new OpenIddictParameter([resource.Url]);
        return ValueTask.CompletedTask;
    }
}
