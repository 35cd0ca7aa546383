using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using AdoBridge.Hosting;

namespace AdoBridge.Operations.OpenApi;

/// <summary>What the document says as a whole: the API, where it is served, its tags, the API-key scheme and the problem schema.</summary>
internal sealed class DocumentDescription(PublicUrls urls) : IOpenApiDocumentTransformer
{
    public const string SecuritySchemeName = "apiKey";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Connections", "End users' connections to Azure DevOps: connect links for OAuth, PAT and service-principal connections, their tokens."),
        ("Actions", "Typed calls to Azure DevOps as a connection: projects, repositories, pull requests, reviews, statuses, work items, pipelines."),
        ("Proxy", "Any Azure DevOps REST call as a connection, at /v1/proxy/{connectionId}/{organization}/… (any method; not listed operation by operation)."),
        ("Subscriptions", "Azure DevOps service hooks that AdoBridge creates, checks and repairs for a connection's projects."),
        ("Events", "The event log: Azure DevOps events and AdoBridge's lifecycle events, their deliveries and replays."),
        ("Webhook endpoints", "Where events are delivered, signed per Standard Webhooks."),
        ("Ingest", "Where Azure DevOps delivers service-hook notifications (set up by AdoBridge; authenticated by a per-hook secret, not an API key)."),
        ("Sandbox", "Sandbox mode: the bundled Azure DevOps and Entra ID emulator."),
        ("Health", "Liveness and readiness for load balancers and orchestrators (no API key)."),
        ("Admin", "Administration: needs an API key with the admin role."),
        ("Apps", "Apps (auth providers): Entra ID, legacy Azure DevOps OAuth, service principals and PATs, with their checks."),
        ("API keys", "API keys: each belongs to one environment and has a role."),
        ("Environments", "Environments: isolated sets of connections, endpoints and keys (for example sandbox and production)."),
        ("Security", "Encryption of secrets at rest."),
    ];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "AdoBridge API",
            Version = "v1",
            Description = "The product API of AdoBridge, a self-hosted hub between your product and Azure DevOps. Authenticate with "
                + "`Authorization: Bearer <API key>` (keys look like `adbk_…`; the first one is printed when AdoBridge first starts). "
                + "Every error is RFC 9457 problem details with a stable `code` and a `detail` that says how to fix it.",
        };
        document.Servers = [new OpenApiServer { Url = urls.BaseUrl.TrimEnd('/'), Description = "This AdoBridge" }];
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An AdoBridge API key: `Authorization: Bearer adbk_…`. Keys belong to one environment and have a role "
                + "(`product`, or `admin` for /v1/admin). Create more with POST /v1/admin/api-keys.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemResponses.SchemaName] = ProblemResponses.Schema();
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = [] }];
        return Task.CompletedTask;
    }
}
