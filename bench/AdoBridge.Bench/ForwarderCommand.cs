using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AdoBridge.Bench;

/// <summary>
/// The baseline: a bare ASP.NET forwarder, a few lines of HttpClient pass-through with a fixed credential, no lookup,
/// no API key, no retry rules. AdoBridge's proxy is measured against it in the same run.
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
        var app = builder.Build();
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
        await app.RunAsync();
        return 0;
    }
}
