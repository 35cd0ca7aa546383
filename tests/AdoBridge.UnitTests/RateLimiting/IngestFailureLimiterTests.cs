using System.Net;
using AdoBridge.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AdoBridge.UnitTests.RateLimiting;

/// <summary>The refusal limit for service-hook ingest, on the real partitioned limiter and the real clock.</summary>
public sealed class IngestFailureLimiterTests : IDisposable
{
    private readonly IngestFailureLimiter limiter = new(new Monitor(new RateLimitOptions { IngestFailuresPerMinute = 2 }));
    private readonly ServiceProvider services = new ServiceCollection().AddOptions().AddLogging().AddProblemDetails().BuildServiceProvider();

    public void Dispose()
    {
        limiter.Dispose();
        services.Dispose();
    }

    [Fact]
    public async Task AnAddressThatUsedItsAllowanceUp_IsRefused_EvenAfterTheBucketRefilledAFraction()
    {
        (await RunAsync(TypedResults.NotFound())).ShouldBe(StatusCodes.Status404NotFound);
        (await RunAsync(TypedResults.NotFound())).ShouldBe(StatusCodes.Status404NotFound);

        // The partitioned limiter tops its buckets up every 100 ms by the time passed (here 1/300 of a permit): a probe for
        // no permit succeeded on that fraction, and the next guess went through.
        await Task.Delay(350);
        (await RunAsync(TypedResults.NotFound())).ShouldBe(StatusCodes.Status429TooManyRequests);
        (await RunAsync(TypedResults.Ok())).ShouldBe(StatusCodes.Status429TooManyRequests);
    }

    [Fact]
    public async Task GoodAnswers_NeverUseTheAllowance()
    {
        for (var i = 0; i < 10; i++)
        {
            (await RunAsync(TypedResults.Ok())).ShouldBe(StatusCodes.Status200OK);
        }

        (await RunAsync(TypedResults.Unauthorized())).ShouldBe(StatusCodes.Status401Unauthorized);
        (await RunAsync(TypedResults.Unauthorized())).ShouldBe(StatusCodes.Status401Unauthorized);
        (await RunAsync(TypedResults.Unauthorized())).ShouldBe(StatusCodes.Status429TooManyRequests);
    }

    [Fact]
    public async Task EachAddressHasItsOwnAllowance()
    {
        (await RunAsync(TypedResults.NotFound(), "192.0.2.1")).ShouldBe(StatusCodes.Status404NotFound);
        (await RunAsync(TypedResults.NotFound(), "192.0.2.1")).ShouldBe(StatusCodes.Status404NotFound);
        (await RunAsync(TypedResults.NotFound(), "192.0.2.1")).ShouldBe(StatusCodes.Status429TooManyRequests);
        (await RunAsync(TypedResults.NotFound(), "192.0.2.2")).ShouldBe(StatusCodes.Status404NotFound);
    }

    private async Task<int> RunAsync(IResult answer, string address = "198.51.100.7")
    {
        var http = new DefaultHttpContext { RequestServices = services };
        http.Connection.RemoteIpAddress = IPAddress.Parse(address);
        http.Response.Body = new MemoryStream();
        var result = await limiter.RunAsync(http, () => ValueTask.FromResult<object?>(answer));
        return result is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
    }

    private sealed class Monitor(RateLimitOptions value) : IOptionsMonitor<RateLimitOptions>
    {
        public RateLimitOptions CurrentValue => value;

        public RateLimitOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RateLimitOptions, string?> listener) => null;
    }
}
