using System.Net;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Organisations, projects, repositories and branches over real HTTP to the emulator, and how Azure DevOps errors come back.</summary>
public sealed class GitActionsTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    [Fact]
    public async Task Actions_WithoutApiKey_Answer401()
    {
        using var anonymous = fixture.Server.Client(apiKey: null);

        using var response = await anonymous.GetAsync($"{fixture.Org}/projects");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Organizations_ListsTheOrganisationsTheConnectionHolds()
    {
        using var api = fixture.Server.Client();

        var body = await (await api.GetAsync($"/v1/connections/{fixture.ConnectionId}/organizations")).ShouldBeJsonAsync();

        var org = body.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        org.GetProperty("name").GetString().ShouldBe("fabrikam");
        org.GetProperty("url").GetString().ShouldBe("https://dev.azure.com/fabrikam");
    }

    [Fact]
    public async Task Projects_PageWithTheContinuationToken()
    {
        using var api = fixture.Server.Client();

        var first = await (await api.GetAsync($"{fixture.Org}/projects?top=1")).ShouldBeJsonAsync();
        var token = first.GetProperty("continuationToken").GetString();
        token.ShouldNotBeNullOrEmpty();
        var second = await (await api.GetAsync($"{fixture.Org}/projects?top=1&continuationToken={Uri.EscapeDataString(token)}")).ShouldBeJsonAsync();

        var a = first.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("name").GetString();
        var b = second.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("name").GetString();
        b.ShouldNotBe(a);
    }

    [Fact]
    public async Task RepositoriesAndBranches_ComeFromTheProject()
    {
        using var api = fixture.Server.Client();

        var repos = await (await api.GetAsync($"{fixture.ProjectPath}/repositories")).ShouldBeJsonAsync();
        var branches = await (await api.GetAsync($"{fixture.RepoPath}/branches")).ShouldBeJsonAsync();

        repos.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ShouldContain(ActionsFixture.Repository);
        var names = branches.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        names.ShouldContain("refs/heads/main");
        names.ShouldAllBe(n => n!.StartsWith("refs/heads/"));
    }

    [Fact]
    public async Task OrganisationTheConnectionDoesNotHold_Answers404()
    {
        using var api = fixture.Server.Client();

        using var response = await api.GetAsync($"/v1/connections/{fixture.ConnectionId}/organizations/fabrikam-labs/projects");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "organization_not_in_connection");
    }

    [Fact]
    public async Task UnknownConnection_Answers404()
    {
        using var api = fixture.Server.Client();

        using var response = await api.GetAsync("/v1/connections/con_nope/organizations");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "connection_not_found");
    }

    [Fact]
    public async Task AzureDevOps404_KeepsItsMessageAndTypeKey()
    {
        using var api = fixture.Server.Client();

        using var response = await api.GetAsync($"{fixture.Org}/projects/No-Such-Project/repositories");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "azure_devops_error");
        problem.GetProperty("azureStatus").GetInt32().ShouldBe(404);
        problem.GetProperty("azureTypeKey").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("azureMessage").GetString()!.ShouldContain("No-Such-Project");
        problem.GetProperty("detail").GetString().ShouldBe(problem.GetProperty("azureMessage").GetString());
    }

    [Fact]
    public async Task AzureDevOps5xx_Answers502WithItsMessage()
    {
        await fixture.FaultAsync(new
        {
            pathPrefix = $"/dev.azure.com/fabrikam/{ActionsFixture.Project}/_apis/git/repositories",
            statusCode = 500,
            count = 1,
            body = "{\"message\":\"VS402: storage is having a bad day\",\"typeKey\":\"VssServiceException\"}",
            contentType = "application/json",
        });
        try
        {
            using var api = fixture.Server.Client();

            using var response = await api.GetAsync($"{fixture.ProjectPath}/repositories");

            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway, "azure_devops_error");
            problem.GetProperty("azureStatus").GetInt32().ShouldBe(500);
            problem.GetProperty("azureTypeKey").GetString().ShouldBe("VssServiceException");
            problem.GetProperty("azureMessage").GetString().ShouldBe("VS402: storage is having a bad day");
        }
        finally
        {
            await fixture.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task TopOutOfRange_Answers400NamingTheField()
    {
        using var api = fixture.Server.Client();

        using var response = await api.GetAsync($"{fixture.Org}/projects?top=0");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field");
        problem.GetProperty("field").GetString().ShouldBe("top");
    }
}
