using AdoBridge.ApiKeys;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Apps.Checks;

/// <summary>The doctor's route under /v1/admin/apps; it sits above Azure DevOps because its checks call the identity provider live.</summary>
internal static class AppDoctorApi
{
    public static RouteGroupBuilder MapAppDoctorApi(this RouteGroupBuilder admin)
    {
        admin.MapGroup("/apps").WithTags("Apps").RequireAuthorization(ApiKeysServiceCollectionExtensions.OwnerPolicy)
            .MapGet("/{name}/doctor", DoctorAsync).WithName("checkApp").WithProblemCodes(404, "app_not_found").WithSummary("Check an app's setup (doctor)")
            .WithDescription("Check the app's settings and, live, its tenant, client id, secret and redirect URI against the identity provider.");
        return admin;
    }

    private static async Task<Results<Ok<DoctorReport>, ProblemHttpResult>> DoctorAsync(string name, string? tenant, AppRegistry apps, AppDoctor doctor, CancellationToken ct)
        => await apps.GetAsync(name, ct) is { } app ? TypedResults.Ok(await doctor.ExamineAsync(app, tenant, ct)) : AppsApi.NotFound(name);
}
