using AdoBridge.Actions;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>The structured search's WIQL, as text: user values only ever inside escaped string literals.</summary>
public sealed class WiqlBuilderTests
{
    [Fact]
    public void Build_PutsEachValueInAnEscapedLiteral_UnderAFixedField()
    {
        var (wiql, problem) = WiqlBuilder.Build(new WorkItemCriteria("Bug", "New", "Bob", "x' OR [System.Id] > 0 OR 'a'='a", ["web"]));

        problem.ShouldBeNull();
        wiql.ShouldBe("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.WorkItemType] = 'Bug' AND [System.State] = 'New'"
            + " AND [System.AssignedTo] = 'Bob' AND [System.Title] CONTAINS 'x'' OR [System.Id] > 0 OR ''a''=''a' AND [System.Tags] CONTAINS 'web' ORDER BY [System.Id]");
    }

    [Fact]
    public void Build_MacroLookalikes_StayLiterals()
    {
        var (wiql, _) = WiqlBuilder.Build(new WorkItemCriteria(null, "@project", "@me OR 1=1", null, null));

        wiql.ShouldBe("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.State] = '@project' AND [System.AssignedTo] = '@me OR 1=1' ORDER BY [System.Id]");
    }

    [Fact]
    public void Build_AssignedToMe_IsTheOnlyMacro()
    {
        var (wiql, _) = WiqlBuilder.Build(new WorkItemCriteria(null, null, "@Me", null, null));

        wiql.ShouldBe("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.AssignedTo] = @me ORDER BY [System.Id]");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\u0000b")]
    [InlineData("line\nbreak")]
    public void Build_EmptyOrControlCharacters_AreRefused(string value)
    {
        var (wiql, problem) = WiqlBuilder.Build(new WorkItemCriteria(value, null, null, null, null));

        wiql.ShouldBeNull();
        problem.ShouldNotBeNull();
    }

    [Fact]
    public void Build_TooLongValue_IsRefused()
        => WiqlBuilder.Build(new WorkItemCriteria(null, null, null, new string('a', WiqlBuilder.MaxValueLength + 1), null)).Problem.ShouldNotBeNull();

    [Fact]
    public void Literal_DoublesEveryQuote()
        => WiqlBuilder.Literal("''x'").ShouldBe("'''''x'''");
}
