using AdoBridge.Operations.OpenApi;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace AdoBridge.Operations;

/// <summary>The API description (/openapi/v1.json) and its reference pages (/docs, Scalar, served from this process: no CDN).</summary>
internal static class ApiDocs
{
    public const string DocsPath = "/docs";

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
        => services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer<DocumentDescription>();
            o.AddOperationTransformer<ProblemResponses>();
            o.AddOperationTransformer<RequestExamples>();
            o.AddOperationTransformer<ParameterDescriptions>();
            o.AddOperationTransformer((operation, _, _) =>
            {
                // A nullable body parameter is described as `oneOf: [null, T]`; the body is JSON of T or absent, never the literal null.
                foreach (var media in operation.RequestBody?.Content?.Values ?? [])
                {
                    if (media.Schema is OpenApiSchema { OneOf: { Count: 2 } oneOf } && oneOf.FirstOrDefault(s => s is not OpenApiSchema { Type: JsonSchemaType.Null }) is { } single)
                    {
                        media.Schema = single;
                    }
                }

                return Task.CompletedTask;
            });
            o.AddSchemaTransformer<RequestSchemas>();
        });

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference(DocsPath, o => o
                .WithTitle("AdoBridge API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument("v1", "AdoBridge API v1")
                .AddPreferredSecuritySchemes(DocumentDescription.SecuritySchemeName)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideClientButton()
                .HideDeveloperTools()
                .ForceLightMode()
                .WithCustomCss(ContrastCss)
                // Scalar's page names no language; screen readers need one (axe-core: html-has-lang).
                .AddHeadContent("<script>document.documentElement.lang = 'en';</script>"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    // Scalar's default theme greys some text below WCAG AA contrast (axe-core: color-contrast), in the light page and in its
    // dark code panels; these colours pass 4.5:1 on each background.
    private const string ContrastCss = """
        .light-mode {
          --scalar-color-2: #3b3b3b !important;
          --scalar-color-3: #4d4d4d !important;
          --scalar-color-accent: #0a58b5 !important;
          --scalar-color-green: #0c6b2f !important;
          --scalar-color-red: #b3261e !important;
          --scalar-color-yellow: #6b4d00 !important;
          --scalar-color-blue: #0a58b5 !important;
          --scalar-color-orange: #8a4200 !important;
          --scalar-color-purple: #6b3fb0 !important;
        }
        .dark-mode, .light-mode .dark-mode {
          --scalar-color-2: #d0d0d0 !important;
          --scalar-color-3: #bdbdbd !important;
          --scalar-color-accent: #8ab4f8 !important;
          --scalar-color-green: #6fd38f !important;
          --scalar-color-red: #ff9a8f !important;
          --scalar-color-yellow: #ffd666 !important;
          --scalar-color-blue: #8ab4f8 !important;
          --scalar-color-orange: #ffb74d !important;
          --scalar-color-purple: #d4b8ff !important;
        }
        """;
}
