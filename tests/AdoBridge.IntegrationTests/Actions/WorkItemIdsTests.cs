using AdoBridge.Actions;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Splitting work item ids into Azure DevOps' 200-id batches, and reading them from the query string.</summary>
public sealed class WorkItemIdsTests
{
    [Fact]
    public void Split_205Ids_GivesABatchOf200ThenOf5_InOrder()
    {
        var ids = Enumerable.Range(1, 205).ToList();

        var batches = WorkItemIds.Split(ids).ToList();

        batches.Select(b => b.Length).ShouldBe([200, 5]);
        batches.SelectMany(b => b).ShouldBe(ids);
    }

    [Fact]
    public void Split_MaxIds_GivesFiveFullBatches()
        => WorkItemIds.Split(Enumerable.Range(1, WorkItemIds.MaxIds).ToList()).Select(b => b.Length).ShouldBe([200, 200, 200, 200, 200]);

    [Fact]
    public void Split_200Ids_IsOneCall()
        => WorkItemIds.Split(Enumerable.Range(1, 200).ToList()).Count().ShouldBe(1);

    [Fact]
    public void Parse_KeepsFirstOrder_AndDropsRepeats()
        => WorkItemIds.Parse(" 3, 1,3 ,2").ShouldBe([3, 1, 2]);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1,,2")]
    [InlineData("0")]
    [InlineData("1;2")]
    [InlineData("+1")]
    public void Parse_RefusesAnythingButPositiveIds(string? text)
        => WorkItemIds.Parse(text).ShouldBeNull();
}
