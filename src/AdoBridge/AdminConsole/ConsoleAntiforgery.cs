using Microsoft.AspNetCore.Antiforgery;

namespace AdoBridge.AdminConsole;

/// <summary>
/// Antiforgery on every console form post, also those that bind no form fields (sign-out): the groups carry
/// <see cref="RequireAntiforgeryTokenAttribute"/>, so the antiforgery middleware checks each post, and this filter refuses
/// a post the middleware found invalid (form binding refuses it already; a post without fields would not be).
/// </summary>
internal static class ConsoleAntiforgery
{
    public static TBuilder RequireConsoleAntiforgery<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new RequireAntiforgeryTokenAttribute());
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (HttpMethods.IsPost(http.Request.Method) && http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request",
                    detail: "The form's antiforgery token is missing or no longer valid. Reload the page and submit the form again.",
                    extensions: new Dictionary<string, object?> { ["code"] = "antiforgery_failed" });
            }

            return await next(context);
        });
        return builder;
    }
}
