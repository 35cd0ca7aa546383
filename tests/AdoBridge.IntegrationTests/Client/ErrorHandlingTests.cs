using System.Net;
using System.Text;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Client;

[Collection(ClientTestsCollection.Name)]
public sealed class ErrorHandlingTests(SandboxServerFixture fixture)
{
    private AdoBridgeServer Server => fixture.Server;

    [Fact]
    public async Task WrongApiKey_Throws401InvalidApiKey_WithoutTheKey()
    {
        const string wrong = "adbk_wrongkey_0123456789abcdefghijklmnopqrstuvwxyzABCD";
        var client = Server.BridgeClient(wrong);

        var e = await client.Connections.ListAsync().ShouldFailWithAsync(401, "invalid_api_key");

        e.ToString().ShouldNotContain(wrong);
        e.TraceId.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task NoApiKey_Throws401MissingApiKey()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUrl };

        await new AdoBridgeClient(http).Events.ListAsync().ShouldFailWithAsync(401, "missing_api_key");
    }

    [Fact]
    public async Task ProxyHtmlErrorPage_ThrowsUnexpectedResponseSayingWhatAnswered()
    {
        using var http = new HttpClient(new Answer(HttpStatusCode.BadGateway, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"));
        var client = new AdoBridgeClient(http, new AdoBridgeClientOptions { BaseAddress = new Uri("https://bridge.example/"), ApiKey = "adbk_x" });

        var e = await client.Connections.GetAsync("conn_1").ShouldFailWithAsync(502, AdoBridgeApiException.UnexpectedResponseCode);

        e.Detail!.ShouldContain("GET /v1/connections/conn_1 answered 502");
        e.Detail!.ShouldContain("text/html");
        e.Detail!.ShouldContain("proxy");
        e.Detail!.ShouldContain("<title>502 Bad Gateway</title>");
        e.Extensions.ShouldBeEmpty();
    }

    [Fact]
    public async Task SuccessWithHtml_ThrowsUnexpectedResponseInsteadOfAJsonError()
    {
        using var http = new HttpClient(new Answer(HttpStatusCode.OK, "text/html", "<html>Sign in to the corporate proxy</html>"));
        var client = new AdoBridgeClient(http, new AdoBridgeClientOptions { BaseAddress = new Uri("https://bridge.example/") });

        var e = await client.Connections.GetAsync("conn_1").ShouldFailWithAsync(200, AdoBridgeApiException.UnexpectedResponseCode);

        e.Detail!.ShouldContain("is not JSON");
    }

    [Fact]
    public async Task BaseAddressWithPathPrefix_KeepsThePrefix_AndSendsTheKeyAsBearer()
    {
        var answer = new Answer(HttpStatusCode.OK, "application/json", "{\"items\":[],\"nextCursor\":null}");
        using var http = new HttpClient(answer);
        var client = new AdoBridgeClient(http, new AdoBridgeClientOptions { BaseAddress = new Uri("https://host.example/adobridge"), ApiKey = "adbk_key" });

        var page = await client.Connections.ListAsync(new ConnectionQuery { EndUserId = "a b&c", Limit = 5 });

        page.Items.ShouldBeEmpty();
        answer.Request!.RequestUri!.AbsoluteUri.ShouldBe("https://host.example/adobridge/v1/connections?endUserId=a%20b%26c&limit=5");
        answer.Request.Headers.Authorization!.ToString().ShouldBe("Bearer adbk_key");
    }

    [Fact]
    public void NoBaseAddress_FailsAtConstructionNamingTheSetting()
    {
        using var http = new HttpClient();

        Should.Throw<ArgumentException>(() => new AdoBridgeClient(http)).Message.ShouldContain("BaseAddress");
        new AdoBridgeClientOptions { ApiKey = "adbk_secret" }.ToString().ShouldNotContain("adbk_secret");
    }

    [Fact]
    public async Task HttpClientFactory_TypedClient_CallsAdoBridge()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new AdoBridgeClientOptions { ApiKey = AdoBridgeServer.BootstrapKey });
        services.AddHttpClient<AdoBridgeClient>(http => http.BaseAddress = Server.BaseUrl);
        await using var provider = services.BuildServiceProvider();

        var sandbox = await provider.GetRequiredService<AdoBridgeClient>().GetSandboxAsync();

        sandbox.AppName.ShouldBe("sandbox");
    }

    /// <summary>A fixed answer in place of the network, standing for whatever sits between the product and AdoBridge.</summary>
    private sealed class Answer(HttpStatusCode status, string mediaType, string body) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            return Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, mediaType) });
        }
    }
}
