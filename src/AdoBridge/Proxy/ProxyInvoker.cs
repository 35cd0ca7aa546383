using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace AdoBridge.Proxy;

/// <summary>
/// The one <see cref="HttpMessageInvoker"/> the proxy forwards through, built as YARP's own client factory builds it (an
/// invoker, not an HttpClient, so responses stream instead of buffering), and the forwarder settings that go with it.
/// </summary>
internal sealed class ProxyInvoker : IDisposable
{
    public ProxyInvoker(IOptions<ProxyOptions> options)
    {
        var o = options.Value;
#pragma warning disable CA2000 // the invoker owns the handler and disposes it
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            // Bodies and answers pass through as they are: no proxy, no redirects followed, no decompression, no cookies.
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            // The caller's trace headers are replaced by AdoBridge's own span, not passed on beside it.
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            // Azure DevOps' addresses change behind its names; pooled connections are renewed so DNS changes are seen.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        }, disposeHandler: true);
#pragma warning restore CA2000

        // HTTP/2 to Azure DevOps over TLS, HTTP/1.1 where the target only speaks that (the emulator over plain HTTP).
        // ActivityTimeout: Azure DevOps must start answering, and then keep sending, within Proxy:Timeout.
        Config = new ForwarderRequestConfig { ActivityTimeout = o.Timeout, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
    }

    public HttpMessageInvoker Invoker { get; }

    public ForwarderRequestConfig Config { get; }

    public void Dispose() => Invoker.Dispose();
}
