using AdoBridge.Hosting;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AdoBridge.Operations.OpenApi;

/// <summary>Puts each route's <see cref="RequestExample"/> on its JSON request body.</summary>
internal sealed class RequestExamples : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var example = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().LastOrDefault();
        if (example is not null && operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true)
        {
            // Parsed here so that a malformed example fails the document's tests rather than reaching a reader.
            media.Example = JsonNode.Parse(example.Json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }

        return Task.CompletedTask;
    }
}
