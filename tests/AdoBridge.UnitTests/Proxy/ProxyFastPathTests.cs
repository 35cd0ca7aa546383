using AdoBridge.ApiKeys;
using AdoBridge.Proxy;

namespace AdoBridge.UnitTests.Proxy;

public sealed class ProxyFastPathTests
{
    [Theory]
    [InlineData("/v1/proxy/conn_1/fabrikam/_apis/projects", "conn_1")]
    [InlineData("/v1/proxy/conn_1/", "conn_1")]
    [InlineData("/v1/proxy/conn_1", "conn_1")]
    [InlineData("/V1/Proxy/conn_1/fabrikam", "conn_1")]
    public void ConnectionIdOf_BindsWhatTheRouteWould(string path, string expected)
        => ProxyFastPath.ConnectionIdOf(path).ShouldBe(expected);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/v1/proxy/")]
    [InlineData("/v1/proxy//fabrikam")]
    [InlineData("/v1/proxy")]
    [InlineData("/v1/proxyx/conn_1/fabrikam")]
    [InlineData("/v1/connections/conn_1/proxy-stats")]
    [InlineData("/x/v1/proxy/conn_1/fabrikam")]
    public void ConnectionIdOf_LeavesOtherPathsToRouting(string? path)
        => ProxyFastPath.ConnectionIdOf(path).ShouldBeNull();

    [Theory]
    [InlineData("Bearer adbk_x_y", "adbk_x_y")]
    [InlineData("bearer  adbk_x_y ", "adbk_x_y")]
    [InlineData("Basic OmFkYmtfeF95", null)]
    [InlineData("Bearer", null)]
    [InlineData("adbk_x_y", null)]
    public void PresentedKey_IsReadOnlyFromABearerHeader(string header, string? expected)
        => ApiKeyAuthenticationHandler.PresentedKey(header).ShouldBe(expected);
}
