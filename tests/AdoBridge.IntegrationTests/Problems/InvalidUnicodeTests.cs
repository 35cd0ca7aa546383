using System.Net;
using System.Text;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Problems;

/// <summary>Text that is not valid Unicode (an unpaired surrogate escape) is a 400 naming where it is, never a 500.</summary>
public sealed class InvalidUnicodeTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private const string Pr = "/v1/connections/conn_unknown/organizations/fabrikam/projects/P/repositories/R/pull-requests/1";

    [Theory]
    [InlineData("PUT", Pr + "/vote", """{"vote":"\ud800"}""", "$.vote")]
    [InlineData("PUT", Pr + "/vote", """{"vote":"ok\udfffok"}""", "$.vote")]
    [InlineData("POST", "/v1/connections/conn_unknown/organizations/fabrikam/projects/P/pipelines/1/runs", """{"variables":{"name":{"value":"\ud800"}}}""", "$.variables")]
    [InlineData("POST", "/v1/connections/conn_unknown/organizations/fabrikam/projects/P/work-items", """{"type":"Bug","fields":{"System.Title":"\udc00"}}""", "$.fields")]
    [InlineData("PATCH", "/v1/connections/conn_unknown/organizations/fabrikam/work-items/1", """[{"op":"add","path":"/fields/System.Title","value":"\ud800"}]""", "$")]
    public async Task JsonText_WithAnUnpairedSurrogate_Is400NamingWhereItIs(string method, string path, string json, string where)
    {
        using var client = fixture.Server.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        var problem = await (await client.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_request_body");

        var detail = problem.GetProperty("detail").GetString()!;
        detail.ShouldContain("not valid Unicode");
        detail.ShouldContain(where);
    }
}
