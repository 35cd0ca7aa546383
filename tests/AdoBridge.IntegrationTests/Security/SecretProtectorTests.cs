using System.Security.Cryptography;
using AdoBridge.IntegrationTests.Infrastructure;
using AdoBridge.IntegrationTests.Storage;
using AdoBridge.Operations;
using AdoBridge.Security;
using AdoBridge.Storage;

namespace AdoBridge.IntegrationTests.Security;

public sealed class SecretProtectorTests : IAsyncLifetime
{
    private Microsoft.AspNetCore.Builder.WebApplication? app;

    private SecretProtector Protector => (SecretProtector)app!.Services.GetService(typeof(SecretProtector))!;

    public async Task InitializeAsync()
    {
        app = AdoBridgeApp.Build(MigrationTests.Args(new Dictionary<string, string?>(), AdoBridgeServer.NewDataDir()), null);
        await ((SchemaMigrator)app.Services.GetService(typeof(SchemaMigrator))!).MigrateAsync();
        await Protector.InitializeAsync();
    }

    public async Task DisposeAsync() => await app!.DisposeAsync();

    [Fact]
    public void Seal_ThenOpen_RoundTrips()
    {
        var sealedValue = Protector.Protect("refresh-token-value", "connection:1:refresh-token");
        sealedValue.ShouldStartWith($"enc:v1:{Protector.ActiveKeyId}:");
        sealedValue.ShouldNotContain("refresh-token-value");
        Protector.Unprotect(sealedValue, "connection:1:refresh-token").ShouldBe("refresh-token-value");
    }

    [Fact]
    public void Seal_Twice_GivesDifferentCiphertexts() =>
        Protector.Protect("same", "p").ShouldNotBe(Protector.Protect("same", "p"));

    [Fact]
    public void Open_UnderAnotherPurpose_Fails()
    {
        var sealedValue = Protector.Protect("token", "connection:1:refresh-token");
        Should.Throw<CryptographicException>(() => Protector.Unprotect(sealedValue, "connection:2:refresh-token"));
    }

    [Fact]
    public void Open_Tampered_Fails()
    {
        var sealedValue = Protector.Protect("token", "p");
        var last = sealedValue[^1];
        var tampered = sealedValue[..^1] + (last == 'A' ? 'B' : 'A');
        Should.Throw<CryptographicException>(() => Protector.Unprotect(tampered, "p"));
    }

    [Fact]
    public void Open_UnknownKeyId_FailsClearly()
    {
        var error = Should.Throw<CryptographicException>(() => Protector.Unprotect("enc:v1:knothere:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "p"));
        error.Message.ShouldContain("knothere");
    }
}
