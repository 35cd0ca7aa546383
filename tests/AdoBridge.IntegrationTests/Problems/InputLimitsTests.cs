using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Problems;

/// <summary>Text that AdoBridge stores and shows again has a length limit and no control characters; ids hold no markup. Each refusal names the field and the limit.</summary>
public sealed class InputLimitsTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    [Theory]
    [InlineData("user\u000042", "control character")]
    [InlineData("user\r\n42", "control character")]
    [InlineData("<b>user</b>", "'<' or '>'")]
    public async Task ConnectSession_EndUserIdWithControlCharactersOrMarkup_Is400NamingTheField(string endUserId, string says)
    {
        using var client = fixture.Server.Client();

        var problem = await (await client.PostAsJsonAsync("/v1/connect-sessions", new { endUserId })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_connect_session");

        problem.GetProperty("detail").GetString()!.ShouldContain("`endUserId`");
        problem.GetProperty("detail").GetString()!.ShouldContain(says);
    }

    [Fact]
    public async Task ConnectSession_OversizeDisplayName_Is400NamingTheLimit()
    {
        using var client = fixture.Server.Client();

        var problem = await (await client.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = "user-42", endUserDisplayName = new string('a', 201) })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_connect_session");

        problem.GetProperty("detail").GetString()!.ShouldBe("`endUserDisplayName` is 201 characters long; at most 200 are allowed.");
    }

    [Fact]
    public async Task App_With100000CharacterDisplayName_IsRefusedAndNothingStored()
    {
        using var client = fixture.Server.Client();

        var problem = await (await client.PutAsJsonAsync("/v1/admin/apps/huge-name", new { type = "pat", displayName = new string('x', 100_000) })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_app_config");

        problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ShouldContain("displayName");
        problem.GetProperty("detail").GetString()!.ShouldContain("at most 200");
        (await client.GetAsync("/v1/admin/apps/huge-name")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Environment_WithOversizeName_Is400()
    {
        using var client = fixture.Server.Client();

        var problem = await (await client.PostAsJsonAsync("/v1/admin/environments", new { id = "limits", name = new string('n', 101) })).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_environment");

        problem.GetProperty("detail").GetString()!.ShouldContain("at most 100 characters");
    }
}
