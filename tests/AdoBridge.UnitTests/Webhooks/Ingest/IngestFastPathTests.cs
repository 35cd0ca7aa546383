using AdoBridge.RateLimiting;
using AdoBridge.Webhooks.Ingest;

namespace AdoBridge.UnitTests.Webhooks.Ingest;

public sealed class IngestFastPathTests
{
    [Theory]
    [InlineData("/hooks/ado/h4Xk2", "h4Xk2")]
    [InlineData("/HOOKS/Ado/h4Xk2", "h4Xk2")]
    public void PathOf_BindsWhatTheRouteWould(string path, string expected)
        => IngestFastPath.PathOf(path).ShouldBe(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/hooks/ado/")]
    [InlineData("/hooks/ado")]
    [InlineData("/hooks/ado/h4Xk2/")]
    [InlineData("/hooks/ado/h4Xk2/extra")]
    [InlineData("/hooks/adox/h4Xk2")]
    [InlineData("/x/hooks/ado/h4Xk2")]
    public void PathOf_LeavesOtherPathsToRouting(string? path)
        => IngestFastPath.PathOf(path).ShouldBeNull();

    [Theory]
    [InlineData(3, 61_000)] // one token each 20 s: 3 in 60 s
    [InlineData(60, 61_000)] // one a second
    [InlineData(100, 101_000)] // 100 / 60 rounds down to one a second: 100 s to refill
    [InlineData(600, 61_000)] // ten a second
    public void RefillMilliseconds_IsHowLongAnEmptiedBucketTakesToFill(int perMinute, long expected)
        => IngestFailureLimiter.RefillMilliseconds(perMinute).ShouldBe(expected);
}
