using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.McpOAuth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AdoBridge.IntegrationTests.McpOAuth;

/// <summary>
/// RFC 8707 at the resource: /mcp accepts only tokens whose audience is its own URL. The token for another audience is
/// made as the authorization server would make it for another resource: a real access token (its entry in the
/// database valid, its connection real), opened and sealed again with AdoBridge's own keys, with only the audience
/// changed. The same re-sealing with the /mcp audience is accepted, so a refusal can only come from the audience.
/// </summary>
public sealed class McpOAuthAudienceTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private OAuthDriver OAuth => new(fixture.Server);

    [Theory]
    [InlineData("https://elsewhere.example/mcp")]
    [InlineData("{base}/v1")]
    [InlineData("{base}/mcp/")]
    public async Task Mcp_WithATokenForAnotherAudience_Answers401InvalidToken(string audience)
    {
        var (_, access, _) = await OAuth.FullFlowAsync();
        (await ListToolsAsync(await ResealAsync(access, OAuth.Resource))).StatusCode.ShouldBe(HttpStatusCode.OK, "the re-sealed token with the /mcp audience must be accepted");

        using var refused = await ListToolsAsync(await ResealAsync(access, audience.Replace("{base}", OAuth.Base, StringComparison.Ordinal)));
        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        var challenge = refused.Headers.WwwAuthenticate.ToString();
        challenge.ShouldContain("error=\"invalid_token\"");
        challenge.ShouldContain($"resource_metadata=\"{OAuth.Base}/.well-known/oauth-protected-resource/mcp\"");
    }

    [Fact]
    public async Task Mcp_WithATokenWithoutAudience_Answers401InvalidToken()
    {
        var (_, access, _) = await OAuth.FullFlowAsync();
        using var refused = await ListToolsAsync(await ResealAsync(access, null));
        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    /// <summary>The access token with its audience replaced (or removed), signed and encrypted with the server's keys.</summary>
    private async Task<string> ResealAsync(string accessToken, string? audience)
    {
        var keys = fixture.Server.Service<McpOAuthKeyRing>();
        var handler = new JsonWebTokenHandler();
        var opened = await handler.ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            TokenDecryptionKey = keys.Encryption,
            IssuerSigningKey = keys.Signing,
            ValidateAudience = false,
            ValidateIssuer = false,
            ValidateLifetime = false,
            ValidTypes = ["at+jwt"],
        });
        opened.IsValid.ShouldBeTrue(opened.Exception?.Message);
        var outer = (JsonWebToken)opened.SecurityToken;
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(outer.InnerToken.EncodedPayload)))!.AsObject();
        payload["aud"].ShouldNotBeNull().ToString().ShouldBe(OAuth.Resource);
        payload.Remove("aud");
        if (audience is not null)
        {
            payload["aud"] = audience;
        }

        // The same headers as OpenIddict's: the inner token typed as an access token, the outer one as the original.
        var signed = handler.CreateToken(payload.ToJsonString(), new SigningCredentials(keys.Signing, SecurityAlgorithms.RsaSha256), new Dictionary<string, object> { ["typ"] = outer.InnerToken.Typ });
        var outerHeader = string.IsNullOrEmpty(outer.Typ) ? new Dictionary<string, object>() : new Dictionary<string, object> { ["typ"] = outer.Typ };
        return handler.EncryptToken(signed, new EncryptingCredentials(keys.Encryption, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512), outerHeader);
    }

    private async Task<HttpResponseMessage> ListToolsAsync(string accessToken)
    {
        using var http = new HttpClient();
        const string initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, OAuth.Resource) { Content = new StringContent(initialize, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await http.SendAsync(request);
    }
}
