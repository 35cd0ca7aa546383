using System.Net;
using System.Net.Sockets;
using System.Text;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.McpOAuth;

/// <summary>
/// A client whose client_id is the URL of its metadata document: AdoBridge fetches the document (here from a local
/// server, which sandbox mode allows on loopback), registers the client from it, and names it on the consent page; a
/// document that does not name its own URL, a redirect, or one that is too large is refused.
/// </summary>
public sealed class ClientMetadataDocumentTests : IClassFixture<SandboxServerFixture>, IDisposable
{
    private readonly SandboxServerFixture fixture;
    private readonly HttpListener documents;
    private readonly int port;

    public ClientMetadataDocumentTests(SandboxServerFixture fixture)
    {
        this.fixture = fixture;
        documents = StartListener(out port);
    }

    private OAuthDriver OAuth => new(fixture.Server);

    [Fact]
    public async Task ClientIdUrl_IsFetchedAndRegistered_AndItsNameIsOnTheConsentPage()
    {
        var clientId = Serve("/clients/editor.json", url => $$"""{"client_id":"{{url}}","client_name":"Metadata Editor","redirect_uris":["{{OAuthDriver.RedirectUri}}"],"token_endpoint_auth_method":"none"}""");
        var verifier = OAuthDriver.NewVerifier();
        using var user = new BrowserlessUser();
        var url = OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(verifier));
        await user.GetAsync(url);
        var connect = user.Location(url);
        await user.SignInAsync(connect, "alice@fabrikam.onmicrosoft.com");
        await user.GetAsync(user.Location(connect));
        await user.PostFormAsync(connect + "/organizations", [new("organizations", "fabrikam")]);
        await user.GetAsync(user.Location(connect));
        user.LastBody.ShouldContain("Metadata Editor");
        var code = OAuthDriver.CodeOf(await OAuth.ApproveAsync(user));
        (await (await OAuth.RedeemAsync(clientId, code, verifier)).ShouldBeJsonAsync()).GetProperty("access_token").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Document_ThatNamesAnotherClientId_IsRefused()
    {
        var clientId = Serve("/clients/liar.json", _ => $$"""{"client_id":"https://someone-else.example/client.json","client_name":"Liar","redirect_uris":["{{OAuthDriver.RedirectUri}}"]}""");
        await RefusedAsync(clientId, "not the URL it was fetched from");
    }

    [Fact]
    public async Task Document_BehindARedirect_IsNotFollowed()
    {
        var clientId = Serve("/clients/moved.json", _ => null);
        await RefusedAsync(clientId, "redirects are not followed");
    }

    [Fact]
    public async Task Document_LargerThan16KB_IsRefused()
    {
        var clientId = Serve("/clients/huge.json", url => $$"""{"client_id":"{{url}}","client_name":"{{new string('x', 20_000)}}","redirect_uris":["{{OAuthDriver.RedirectUri}}"]}""");
        await RefusedAsync(clientId, "larger than 16384 bytes");
    }

    private async Task RefusedAsync(string clientId, string reason)
    {
        using var user = new BrowserlessUser();
        var response = await user.GetAsync(OAuth.AuthorizeUrl(clientId, OAuthDriver.Challenge(OAuthDriver.NewVerifier())));
        // invalid_client, which OpenIddict answers with 401, shown to the user rather than sent to an unverified redirect URI.
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, user.LastBody);
        response.Headers.Location.ShouldBeNull();
        user.LastBody.ShouldContain("error:invalid_client");
        user.LastBody.ShouldContain(reason);
    }

    /// <summary>Serves a document at a path (its body made from its URL; null: a redirect elsewhere); returns the URL, the client_id.</summary>
    private string Serve(string path, Func<string, string?> body)
    {
        bodies[path] = body;
        if (Interlocked.Exchange(ref serving, 1) == 0)
        {
            _ = Task.Run(ServeAsync);
        }

        return $"http://127.0.0.1:{port}{path}";
    }

    private async Task ServeAsync()
    {
        while (documents.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await documents.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            var content = bodies.TryGetValue(path, out var make) ? make($"http://127.0.0.1:{port}{path}") : null;
            if (content is null)
            {
                context.Response.StatusCode = 302;
                context.Response.RedirectLocation = "http://127.0.0.1:1/elsewhere.json";
            }
            else
            {
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(content));
            }

            context.Response.Close();
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<string, string?>> bodies = new();
    private int serving;

    private static HttpListener StartListener(out int port)
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        return listener;
    }

    public void Dispose() => documents.Close();
}
