using AdoBridge.AdminConsole.Components;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.AdminConsole;

/// <summary>How the console shows a refusal: the API's problem detail (its message and fix) on a page, never a problem document.</summary>
internal static class ConsoleProblems
{
    /// <summary>The detail of a problem result, or a general line for any other result.</summary>
    public static string Detail(IResult result) => result is ProblemHttpResult problem
        ? problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "The request was refused."
        : "The request was refused.";

    public static int Status(IResult result) => result is ProblemHttpResult problem ? problem.StatusCode : StatusCodes.Status400BadRequest;

    public static RazorComponentResult<MessagePage> Page(HttpContext http, IAntiforgery antiforgery, string title, int status, string text)
        => new(new { Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: true), Title = title, Message = new ConsoleMessage(text, true) }) { StatusCode = status };
}
