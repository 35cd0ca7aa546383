namespace AdoBridge.Hosting;

/// <summary>An example request body for the API description, kept beside the route it belongs to.</summary>
internal sealed record RequestExample(string Json);

internal static class RequestExampleExtensions
{
    /// <summary>Shows <paramref name="json"/> as the example body of this route in /openapi/v1.json and /docs.</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, [System.Diagnostics.CodeAnalysis.StringSyntax("Json")] string json) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new RequestExample(json));
}
