using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AdoBridge.Operations;

internal static class ApiDocs
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services)
        => services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "AdoBridge API",
                    Version = "v1",
                    Description = "The product API of AdoBridge. Authenticate with 'Authorization: Bearer <API key>'. Errors are RFC 9457 problem details with a stable `code`.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An AdoBridge API key (adbk_…).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] }];
                return Task.CompletedTask;
            });
        });

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        // Only under /docs: the UI's middleware otherwise runs a regular expression over every request's path, the proxy's too.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase), docs => docs.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "AdoBridge API v1");
            o.RoutePrefix = "docs";
            o.DocumentTitle = "AdoBridge API";
        }));
        return app;
    }
}
