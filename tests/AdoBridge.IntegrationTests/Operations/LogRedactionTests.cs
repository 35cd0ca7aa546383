using System.Collections.Concurrent;
using AdoBridge.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AdoBridge.IntegrationTests.Operations;

/// <summary>
/// Connect-link tokens, ingest paths and the OAuth callback's code and state never reach a log line: not AdoBridge's, not
/// ASP.NET Core's request lines, not Kestrel's unhandled-exception lines with an exception that carries the URL, and not
/// the problem handler's. Every logger of the server writes to a capturing provider here, besides the console.
/// </summary>
public sealed class LogRedactionTests
{
    private const string Token = "ctk_S3cretConnectToken0123456789abcdefXYZ";
    private const string IngestPath = "hk_S3cretIngestPath0123456789abcdefXYZ";
    private const string Code = "0.S3cretAuthorisationCode-abcdef";
    private const string State = "S3cretStateValue0123456789";
    private const string ThrowHeader = "X-Test-Throw";

    [Fact]
    public async Task SecretRouteValues_AreRedacted_InEveryLoggersLines()
    {
        var capture = new CapturingProvider();
        await using var server = await AdoBridgeServer.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        }, configure: b =>
        {
            b.Logging.AddProvider(capture);
            b.Services.AddTransient<IStartupFilter, ThrowingMiddleware>();
        });
        using var http = new HttpClient { BaseAddress = server.BaseUrl };

        (await http.GetAsync($"/connect/{Token}")).StatusCode.ShouldNotBe(System.Net.HttpStatusCode.InternalServerError);
        (await http.GetAsync($"/connect/callback?code={Code}&state={State}")).StatusCode.ShouldNotBe(System.Net.HttpStatusCode.InternalServerError);
        (await http.PostAsync($"/hooks/ado/{IngestPath}", new StringContent("{}"))).StatusCode.ShouldNotBe(System.Net.HttpStatusCode.InternalServerError);
        foreach (var path in new[] { $"/connect/{Token}/start", $"/hooks/ado/{IngestPath}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("x") };
            request.Headers.Add(ThrowHeader, "1");
            (await http.SendAsync(request)).StatusCode.ShouldBe(System.Net.HttpStatusCode.InternalServerError);
        }

        // The problem handler, as UseExceptionHandler calls it for an exception inside a connect page.
        var context = new DefaultHttpContext { RequestServices = server.App.Services };
        context.Request.Method = "POST";
        context.Request.Path = $"/connect/{Token}/start";
        context.Response.Body = new MemoryStream();
        foreach (var handler in server.App.Services.GetServices<IExceptionHandler>())
        {
            await handler.TryHandleAsync(context, new InvalidOperationException($"failed on /connect/{Token}/start"), CancellationToken.None);
        }

        await Task.Delay(200); // Kestrel logs the unhandled exception after the response
        var lines = capture.Lines.ToList();
        foreach (var secret in new[] { Token, IngestPath, Code, State })
        {
            lines.Where(l => l.Contains(secret, StringComparison.Ordinal)).ShouldBeEmpty($"'{secret}' was logged");
        }

        // The lines were written, with the secret part replaced: the test saw the places a secret would have been.
        lines.ShouldContain(l => l.Contains("Request starting") && l.Contains("/connect/[redacted]"));
        lines.ShouldContain(l => l.Contains("Request starting") && l.Contains("/hooks/ado/[redacted]"));
        lines.ShouldContain(l => l.Contains("/connect/callback?[redacted]"));
        lines.ShouldContain(l => l.StartsWith("Microsoft.AspNetCore.Server.Kestrel") && l.Contains("thrown on POST http") && l.Contains("/connect/[redacted]/start"));
        lines.ShouldContain(l => l.Contains("Unhandled System.InvalidOperationException on POST /connect/[redacted]/start"));
    }

    /// <summary>Throws, with the request's URL in the message as many exceptions carry it, before AdoBridge's exception handler.</summary>
    private sealed class ThrowingMiddleware : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey(ThrowHeader))
                {
                    throw new InvalidOperationException($"thrown on {context.Request.Method} {context.Request.Scheme}://{context.Request.Host}{context.Request.Path}");
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>Every line, as category, message, structured values and exception text.</summary>
    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(" ", kv.Select(p => $"{p.Key}={p.Value}")) : state?.ToString();
                lines.Enqueue($"{category}: {formatter(state, exception)} | {values} | {exception}");
            }
        }
    }
}
