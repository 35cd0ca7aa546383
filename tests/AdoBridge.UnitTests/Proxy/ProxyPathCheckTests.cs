using AdoBridge.Proxy;
using AdoBridge.Storage;

namespace AdoBridge.UnitTests.Proxy;

/// <summary>Every path form a server on the way could decode differently from AdoBridge is refused; ordinary paths pass.</summary>
public sealed class ProxyPathCheckTests
{
    private static readonly ConnectionEntity Connection = new()
    {
        Id = "conn_1", EnvironmentId = "sandbox", EndUserId = "u", AppName = "a", AuthType = "pat", Status = "active", Organizations = "[\"fabrikam\"]",
    };

    [Theory]
    // ';' parameters on dot segments (Tomcat, Jetty and others drop the parameter and see '..')
    [InlineData("fabrikam/..;/other/_apis")]
    [InlineData("fabrikam/..;x=1/other/_apis")]
    [InlineData("fabrikam/.;x/_apis")]
    [InlineData("fabrikam/.;/_apis")]
    [InlineData("fabrikam/..%3b/_apis")]
    // overlong UTF-8 for '.', '/' and '\' and other invalid UTF-8
    [InlineData("fabrikam/%C0%AE%C0%AE/other")]
    [InlineData("fabrikam/%c0%ae/_apis")]
    [InlineData("fabrikam/%E0%80%AE%E0%80%AE/other")]
    [InlineData("fabrikam/%C0%AF/_apis")]
    [InlineData("fabrikam/%C1%9C/_apis")]
    [InlineData("fabrikam/%F0%80%80%AE/_apis")]
    [InlineData("fabrikam/%FF/_apis")]
    [InlineData("fabrikam/%ED%A0%80/_apis")]
    // IIS %u escapes and broken escapes
    [InlineData("fabrikam/%u002e%u002e/other")]
    [InlineData("fabrikam/%U002E/_apis")]
    [InlineData("fabrikam/%u2215/_apis")]
    [InlineData("fabrikam/%/_apis")]
    [InlineData("fabrikam/%4/_apis")]
    [InlineData("fabrikam/_apis%zz")]
    // fullwidth and other compatibility dots, slashes and backslashes, raw or encoded
    [InlineData("fabrikam/\uFF0E\uFF0E/other")]
    [InlineData("fabrikam/%EF%BC%8E%EF%BC%8E/other")]
    [InlineData("fabrikam/%ef%bc%8e/_apis")]
    [InlineData("fabrikam/\uFE52\uFE52/other")]
    [InlineData("fabrikam/\u2024\u2024/other")]
    [InlineData("fabrikam/%E2%80%A4/_apis")]
    [InlineData("fabrikam/x%EF%BC%8Fy/_apis")]
    [InlineData("fabrikam/x%EF%BC%BCy/_apis")]
    // encoded dots (decoding to dot segments), double encoding
    [InlineData("fabrikam/%2e%2e/other")]
    [InlineData("fabrikam/%2E./other")]
    [InlineData("fabrikam/.%2e/other")]
    [InlineData("fabrikam/%252e%252e/other")]
    [InlineData("fabrikam/%252f/_apis")]
    [InlineData("fabrikam/%25u002e/_apis")]
    // dot segments with trailing spaces or more dots (Windows trims them)
    [InlineData("fabrikam/.../_apis")]
    [InlineData("fabrikam/..%20/other")]
    [InlineData("fabrikam/.%20./other")]
    // backslashes and slashes in any form, control characters
    [InlineData("fabrikam\\..\\other/_apis")]
    [InlineData("fabrikam/%5c/_apis")]
    [InlineData("fabrikam/a%2fb/_apis")]
    [InlineData("fabrikam/%00/_apis")]
    [InlineData("fabrikam/x%0d%0ay/_apis")]
    [InlineData("fabrikam/x%7fy/_apis")]
    public void Resolve_RefusesAmbiguousSegments(string path)
    {
        var (url, error, _) = ProxyTarget.Resolve(Connection, path, string.Empty);
        url.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("fabrikam/_apis/projects")]
    [InlineData("fabrikam/Fabrikam%20Fiber/_apis/git/repositories")]
    [InlineData("fabrikam/Fabrikam-Fiber-Git/_apis/git/repositories/my.repo/items")]
    [InlineData("fabrikam/caf%C3%A9/_apis")]
    [InlineData("fabrikam/%E6%97%A5%E6%9C%AC/_apis")]
    [InlineData("fabrikam/100%25/_apis")]
    [InlineData("fabrikam/a;b/_apis")]
    [InlineData("fabrikam/v1..2/_apis")]
    public void Resolve_ForwardsOrdinaryPaths(string path)
    {
        var (url, error, _) = ProxyTarget.Resolve(Connection, path, string.Empty);
        error.ShouldBeNull();
        url.ShouldBe($"https://dev.azure.com/{path}");
    }
}
