using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace AdoBridge.Bench;

/// <summary>
/// The baselines: bare ASP.NET forwarders with a fixed credential, no lookup, no API key, no retry rules. `forwarder` is a
/// few lines of HttpClient pass-through; `forwarder --yarp` is YARP's IHttpForwarder with its default header copying and
/// an invoker built as YARP recommends, the floor AdoBridge's proxy (which forwards through the same) is measured against.
/// </summary>
internal static class ForwarderCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = Args.GetInt(args, "--port", 5082);
        var upstream = Args.Get(args, "--upstream")!.TrimEnd('/');
        var authorization = Args.Get(args, "--authorization")!;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        if (args.Contains("--yarp"))
        {
            builder.Services.AddHttpForwarder();
        }

        var app = builder.Build();
        if (args.Contains("--yarp"))
        {
            MapYarp(app, upstream, authorization);
        }
        else
        {
            MapHttpClient(app, upstream, authorization);
        }

        await app.RunAsync();
        return 0;
    }

    private static void MapHttpClient(WebApplication app, string upstream, string authorization)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 512 });
        app.Run(async context =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), upstream + context.Request.Path + context.Request.QueryString);
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
    }

    private static void MapYarp(WebApplication app, string upstream, string authorization)
    {
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        }, disposeHandler: true);
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };
        var transformer = new FixedCredential(authorization);
        app.Run(async context => await forwarder.SendAsync(context, upstream, invoker, config, transformer));
    }

    /// <summary>YARP's plain header copy, plus the one fixed credential.</summary>
    private sealed class FixedCredential(string authorization) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Remove("Authorization");
            proxyRequest.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
    }
}
