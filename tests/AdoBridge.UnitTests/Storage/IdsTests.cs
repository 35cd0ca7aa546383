using AdoBridge.Storage;

namespace AdoBridge.UnitTests.Storage;

public sealed class IdsTests
{
    [Fact]
    public void IdsMadeInOneMillisecond_SortInTheOrderTheyWereMade()
    {
        // Keyset paging (`cursor`, `after=evt_…`) compares ids; a purely random tail put a later event before an earlier
        // one made in the same millisecond, and listing "after" the later one returned the earlier one again.
        var clock = new StoppedClock(DateTimeOffset.Parse("2026-12-07T12:00:00Z"));
        var ids = Enumerable.Range(0, 5000).Select(_ => Ids.New("evt", clock)).ToList();

        ids.ShouldBe(ids.Order(StringComparer.Ordinal).ToList());
        ids.Distinct().Count().ShouldBe(ids.Count);
        ids.ShouldAllBe(id => id.Length == "evt_".Length + 12 + 16 && id.StartsWith("evt_", StringComparison.Ordinal));
        ids[0][4..16].ShouldBe(clock.GetUtcNow().ToUnixTimeMilliseconds().ToString("x12"));
    }

    [Fact]
    public void AClockSetFarBack_GetsIdsOfItsOwnTime_ABitBack_StaysInOrder()
    {
        var clock = new StoppedClock(DateTimeOffset.Parse("2026-12-07T12:00:00Z"));
        var first = Ids.New("evt", clock);
        clock.Now -= TimeSpan.FromSeconds(1);
        string.CompareOrdinal(Ids.New("evt", clock), first).ShouldBeGreaterThan(0);

        clock.Now = DateTimeOffset.Parse("2020-01-01T00:00:00Z");
        Ids.New("evt", clock)[4..16].ShouldBe(clock.Now.ToUnixTimeMilliseconds().ToString("x12"));
    }

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
