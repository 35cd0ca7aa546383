using AdoBridge.Webhooks.Normalization;

namespace AdoBridge.UnitTests.Webhooks.Normalization;

public sealed class OrganizationNamesTests
{
    [Theory]
    [InlineData("https://dev.azure.com/fabrikam/", "fabrikam")]
    [InlineData("https://dev.azure.com/FabrikamFiber/_apis/projects/1", "FabrikamFiber")]
    [InlineData("https://vssps.dev.azure.com/fabrikam/_apis/Identities/1", "fabrikam")]
    [InlineData("https://fabrikam.visualstudio.com/DefaultCollection/_apis/git/repositories/1", "fabrikam")]
    [InlineData("http://dev.azure.com/fabrikam-fiber-inc/DefaultCollection/_apis/wit/workItems/5", "fabrikam-fiber-inc")]
    [InlineData("http://127.0.0.1:5000/_emulator/dev.azure.com/fabrikam/_apis/git/repositories/1", "fabrikam")]
    [InlineData("https://dev.azure.com/my%20org/_apis", "my org")]
    public void ResourceUrl_NamesItsOrganization(string url, string organization) =>
        OrganizationNames.FromResourceUrl(url).ShouldBe(organization);

    [Theory]
    [InlineData("https://spsprodwus22.vssps.visualstudio.com/A9985ce4a/_apis/Identities/1")]
    [InlineData("https://dev.azure.com/_apis/projects")]
    [InlineData("http://joscol2/DefaultCollection/ebed510c/_apis/git/repositories/1")]
    [InlineData("vstfs:///Build/Build/2")]
    [InlineData("not a url")]
    [InlineData("")]
    [InlineData(null)]
    public void ResourceUrl_WithoutAnOrganization_NamesNone(string? url) =>
        OrganizationNames.FromResourceUrl(url).ShouldBeNull();

    [Theory]
    [InlineData("https://dev.azure.com/FabrikamFiber/", "FabrikamFiber")]
    [InlineData("https://fabrikam.visualstudio.com/", "fabrikam")]
    [InlineData("https://tfs.contoso.local/tfs/DefaultCollection/", "DefaultCollection")]
    [InlineData("http://127.0.0.1:5000/dev.azure.com/fabrikam/", "fabrikam")]
    public void BaseUrl_NamesTheOrganizationOrServerCollection(string url, string organization) =>
        OrganizationNames.FromBaseUrl(url).ShouldBe(organization);

    [Fact]
    public void BaseUrl_WinsOverResourceUrls()
    {
        var body = HookSamples.Node("git.pullrequest.created.json");
        body["resourceContainers"]!["account"]!["baseUrl"] = "https://contoso.visualstudio.com/";

        HookSamples.Normalize(body).Organization.ShouldBe("contoso");
    }
}
