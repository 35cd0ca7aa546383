using AdoBridge.ApiKeys;

namespace AdoBridge.UnitTests.ApiKeys;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void NewKey_CarriesItsIdAndAScannablePrefix()
    {
        var key = ApiKeyFormat.NewKey(out var id);
        key.ShouldStartWith("adbk_" + id + "_");
        ApiKeyFormat.IdOf(key).ShouldBe(id);
        key.Length.ShouldBeGreaterThan(50);
    }

    [Fact]
    public void NewKeys_NeverLookLikeCustomKeys_SoListingsShowTheirPrefix()
    {
        // Custom (operator-chosen) keys get ids starting with 'x'; a generated id starting with 'x' was listed as one (1 in 36).
        foreach (var _ in Enumerable.Range(0, 2000))
        {
            var key = ApiKeyFormat.NewKey(out var id);
            id.ShouldNotStartWith("x");
            ApiKeyFormat.DisplayPrefix(id).ShouldBe(key[..17] + "_…");
        }
    }

    [Fact]
    public void NewKeys_AreUnique()
    {
        Enumerable.Range(0, 1000).Select(i => ApiKeyFormat.NewKey(out _)).Distinct().Count().ShouldBe(1000);
    }

    [Fact]
    public void CustomKey_GetsAStableIdFromItsHash()
    {
        var id = ApiKeyFormat.IdOf("my-own-automation-key-0123456789-abcdef");
        id.ShouldStartWith("x");
        ApiKeyFormat.IdOf("my-own-automation-key-0123456789-abcdef").ShouldBe(id);
        ApiKeyFormat.IdOf("my-own-automation-key-0123456789-abcdeg").ShouldNotBe(id);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has whitespace inside it but is long enough 1234")]
    public void CustomKey_WeakOrMalformed_IsRefused(string key) => ApiKeyFormat.ValidateCustomKey(key).ShouldNotBeNull();
}
