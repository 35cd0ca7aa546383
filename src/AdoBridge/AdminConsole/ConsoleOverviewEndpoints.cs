using AdoBridge.AdminConsole.Components;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.AdminConsole;

/// <summary>The console's start page, where sign-in lands: how this instance and the operator's environments are doing.</summary>
internal static class ConsoleOverviewEndpoints
{
    public static RouteGroupBuilder MapConsoleOverview(this RouteGroupBuilder pages)
    {
        pages.MapGet("/", OverviewAsync).WithName("consoleHome").WithSummary("Console overview")
            .WithDescription("Instance status, delivery backlog and its oldest item, events per minute, failing endpoints, expiring secrets and PATs, connections needing re-authorisation.")
            .WithProblemCodes(400, "bad_request");
        return pages;
    }

    private static async Task<IResult> OverviewAsync(HttpContext http, IAntiforgery antiforgery, ConsoleOverview overview, CancellationToken ct)
        => new RazorComponentResult<OverviewPage>(new
        {
            Frame = ConsoleEndpoints.Frame(http, antiforgery, signedIn: true),
            Overview = await overview.ReadAsync(http.User.ConsoleEnvironment(), ct),
        });
}
