using System.Net;
using AdoBridge.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>
/// The emulator standing in for an Azure DevOps Server: on its own port, it answers the collection URL
/// {base}/tfs/DefaultCollection/… with the fabrikam organisation's REST API (a rewrite in front of the emulator's routes),
/// and everything else (Entra ID, admin) as usual, so one emulator serves a sandbox AdoBridge and its Server connection.
/// </summary>
internal sealed class ServerCollection : IAsyncDisposable
{
    public const string AdminToken = "server-collection-emulator-admin-token";
    private const string CollectionPath = "/tfs/DefaultCollection";

    private readonly WebApplication app;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> apiVersions = new();
    private int collectionRequests;

    private ServerCollection(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The emulator's base URL, ending with '/'.</summary>
    public Uri BaseUrl { get; }

    /// <summary>How many requests came in through the collection URL (proof that calls went to the Server, not dev.azure.com).</summary>
    public int CollectionRequests => Volatile.Read(ref collectionRequests);

    /// <summary>The api-version of each request through the collection URL, in order.</summary>
    public IReadOnlyList<string> ApiVersions => apiVersions.ToArray();

    /// <summary>A client for the emulator's admin API (seed data, faults, the API versions it accepts).</summary>
    public HttpClient Admin()
    {
        var admin = new HttpClient { BaseAddress = new Uri(BaseUrl, "_admin/") };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        return admin;
    }

    /// <summary>The collection URL a Server connection is made to.</summary>
    public string CollectionUrl => BaseUrl.AbsoluteUri.TrimEnd('/') + CollectionPath;

    public static async Task<ServerCollection> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAzureDevOpsEmulator(o => o.AdminToken = AdminToken);
        var app = builder.Build();
        ServerCollection? self = null;
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(CollectionPath, StringComparison.OrdinalIgnoreCase, out var rest))
            {
                Interlocked.Increment(ref self!.collectionRequests);
                self.apiVersions.Enqueue(context.Request.Query["api-version"].ToString());
                context.Request.Path = new PathString($"/{EmulatorDefaults.DevOpsHost}/{EmulatorDefaults.Organization}").Add(rest);
            }

            return next(context);
        });
        app.UseRouting();
        app.MapAzureDevOpsEmulator();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new ServerCollection(app, new Uri(address.TrimEnd('/') + "/"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
