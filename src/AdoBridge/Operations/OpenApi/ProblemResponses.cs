using AdoBridge.Problems;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AdoBridge.Operations.OpenApi;

/// <summary>
/// Describes the errors of every operation as problem details: the statuses a route of its shape can answer (a body can be
/// malformed, a path id unknown, a key missing) with the `code` values of each, plus the codes the route declares itself.
/// </summary>
internal sealed class ProblemResponses : IOpenApiOperationTransformer
{
    public const string SchemaName = "Problem";
    private const string ContentType = "application/problem+json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var codes = new SortedDictionary<int, SortedSet<string>>();
        void Add(int status, params string[] values)
        {
            if (!codes.TryGetValue(status, out var set))
            {
                codes[status] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(values);
        }

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var hasBody = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body);
        var hasPath = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path);
        var hasQuery = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query);
        var path = "/" + (description.RelativePath ?? "");

        if (hasBody)
        {
            Add(StatusCodes.Status400BadRequest, "invalid_request_body");
            Add(StatusCodes.Status413PayloadTooLarge, "payload_too_large");
            Add(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");
        }

        if (hasQuery || hasPath)
        {
            Add(StatusCodes.Status400BadRequest, "invalid_request");
        }

        if (!anonymous)
        {
            Add(StatusCodes.Status401Unauthorized, "missing_api_key", "invalid_api_key");
            if (path.StartsWith("/v1/admin", StringComparison.Ordinal))
            {
                Add(StatusCodes.Status403Forbidden, "forbidden", "owner_role_required", "environment_forbidden");
            }
        }

        if (hasPath)
        {
            Add(StatusCodes.Status404NotFound, "not_found");
        }

        if (metadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any())
        {
            Add(StatusCodes.Status429TooManyRequests, "rate_limited");
        }

        foreach (var declared in metadata.OfType<ProblemCodes>())
        {
            Add(declared.Status, [.. declared.Codes]);
        }

        if (anonymous)
        {
            // Declared on purpose: the document's default requirement is the API key, and these routes take none.
            operation.Security = [];
        }

        operation.Responses ??= new OpenApiResponses();
        foreach (var (status, values) in codes)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.ContainsKey(key))
            {
                continue;
            }

            operation.Responses[key] = new OpenApiResponse
            {
                Description = $"{Title(status)}. `code`: {string.Join(", ", values.Select(v => "`" + v + "`"))}.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ContentType] = new() { Schema = new OpenApiSchemaReference(SchemaName, context.Document) },
                },
            };
        }

        return Task.CompletedTask;
    }

    private static string Title(int status) => status switch
    {
        400 => "The request is invalid; `detail` names the field and the fix",
        401 => "No API key, or one that is unknown, revoked or malformed",
        403 => "The API key's role may not do this",
        404 => "Nothing with that id in this API key's environment",
        409 => "The request conflicts with what is stored",
        413 => "The body is larger than this route accepts",
        415 => "The body is not JSON (send `Content-Type: application/json`)",
        429 => "Too many requests; wait for `Retry-After` seconds",
        502 => "Azure DevOps or the identity provider answered with an error",
        503 => "A dependency is unavailable; try again later",
        504 => "Azure DevOps did not answer in time",
        _ => "Error",
    };

    /// <summary>The RFC 9457 problem-details schema every error uses, with AdoBridge's `code`.</summary>
    public static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. `code` is stable and machine-readable; `detail` says what was wrong and how to fix it.",
        Required = new HashSet<string> { "status", "title", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI that identifies the kind of problem." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the kind of problem." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What was wrong in this request, and how to fix it." },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A stable, machine-readable code, e.g. `connection_not_found`.", Examples = [System.Text.Json.Nodes.JsonValue.Create("connection_not_found")] },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id, to find it in AdoBridge's logs." },
            ["azureStatus"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "For `azure_devops_error`: the status Azure DevOps answered." },
            ["azureMessage"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "For `azure_devops_error`: Azure DevOps' own message." },
            ["azureTypeKey"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "For `azure_devops_error`: Azure DevOps' error type, e.g. `VssVersionOutOfRangeException`." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "For invalid configuration: one entry per wrong field.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The field, e.g. `clientSecrets[0].value`." },
                        ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What is wrong with it." },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What is wrong, in words." },
                        ["fix"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "How to fix it." },
                    },
                },
            },
        },
    };
}
