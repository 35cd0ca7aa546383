using AdoBridge.AzureDevOps;

namespace AdoBridge.UnitTests.AzureDevOps;

public sealed class ApiVersionCeilingsTests
{
    private const string Collection = "https://tfs.contoso.example/tfs/DefaultCollection";
    private const string Refusal = "The requested REST API version of 7.1 is out of range for this server. The latest REST API version this server supports is 6.0.";

    [Fact]
    public void Unknown_CollectionsAreAskedForWhatTheActionWants()
        => new ApiVersionCeilings().For(Collection, "7.1").ShouldBe("7.1");

    [Theory]
    [InlineData("7.1", "6.0")]
    [InlineData("7.1-preview.4", "6.0-preview")]
    [InlineData("6.0", "6.0")]
    [InlineData("5.1-preview.3", "5.1-preview.3")]
    public void ARefusal_SetsTheCeilingForThatCollectionOnly(string wanted, string asked)
    {
        var ceilings = new ApiVersionCeilings();

        ceilings.Learn(Collection, "7.1", Refusal).ShouldBeTrue();

        ceilings.For(Collection, wanted).ShouldBe(asked);
        ceilings.For("https://dev.azure.com/fabrikam", wanted).ShouldBe(wanted);
    }

    [Theory]
    [InlineData("6.0", Refusal)]
    [InlineData("7.1", "The requested REST API version of 7.1 is out of range for this server.")]
    [InlineData("7.1", "TF400813: The user is not authorized to access this resource.")]
    [InlineData("7.1", null)]
    [InlineData("not-a-version", Refusal)]
    public void ARefusalThatLowersNothing_IsNotRetried(string asked, string? message)
    {
        var ceilings = new ApiVersionCeilings();

        ceilings.Learn(Collection, asked, message).ShouldBeFalse();

        ceilings.For(Collection, "7.1").ShouldBe("7.1");
    }

    [Fact]
    public void ACeiling_OnlyEverGoesDown()
    {
        var ceilings = new ApiVersionCeilings();
        ceilings.Learn(Collection, "7.1", Refusal).ShouldBeTrue();
        ceilings.Learn(Collection, "6.0", "The latest REST API version this server supports is 5.0.").ShouldBeTrue();

        ceilings.For(Collection, "7.1").ShouldBe("5.0");
    }
}
