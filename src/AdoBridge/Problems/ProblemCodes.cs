namespace AdoBridge.Problems;

/// <summary>The problem `code` values a route answers with one status, for the API description.</summary>
internal sealed record ProblemCodes(int Status, IReadOnlyList<string> Codes);

internal static class ProblemCodesExtensions
{
    /// <summary>Documents the `code` values this route answers with <paramref name="status"/> (beyond those every route of its kind has).</summary>
    public static TBuilder WithProblemCodes<TBuilder>(this TBuilder builder, int status, params string[] codes) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new ProblemCodes(status, codes));
}
