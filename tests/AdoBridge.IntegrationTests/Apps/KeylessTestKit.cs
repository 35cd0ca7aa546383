using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AdoBridge.IntegrationTests.Apps;

/// <summary>
/// A token issuer outside Entra (as a Kubernetes cluster's OIDC issuer is): its own RSA key, whose public half the emulated
/// Entra is told to trust, and JWTs it signs for a subject, as a projected service-account token.
/// </summary>
internal sealed class TestIssuer : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public string Issuer { get; } = $"https://oidc.test-cluster.example/{Guid.NewGuid():N}/";

    public string KeyId { get; } = Guid.NewGuid().ToString("N")[..16];

    public object Jwk
    {
        get
        {
            var p = _rsa.ExportParameters(false);
            return new { kid = KeyId, n = Base64Url(p.Modulus!), e = Base64Url(p.Exponent!) };
        }
    }

    public string Sign(string subject, DateTimeOffset now, TimeSpan lifetime, string audience = "api://AzureADTokenExchange", string? issuer = null)
    {
        var header = new { alg = "RS256", typ = "JWT", kid = KeyId };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer ?? Issuer,
            ["sub"] = subject,
            ["aud"] = new[] { audience },
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["kubernetes.io"] = new { @namespace = "ado", serviceaccount = new { name = "bridge" } },
        };
        var input = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return input + "." + Base64Url(_rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public void Dispose() => _rsa.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Sets up keyless service principals in a sandbox server's emulator and in AdoBridge, as an operator would in Azure and in the config.</summary>
internal static class KeylessSetup
{
    public const string Tenant = "3f6a1c2e-8d4b-4e7a-9c15-2b7d9e0f4a61";
    public const string Subject = "system:serviceaccount:ado:bridge";

    public static async Task<DateTimeOffset> EmulatorNowAsync(this AdoBridgeServer server)
    {
        using var emulator = await server.EmulatorAdminAsync();
        return (await (await emulator.GetAsync("clock")).ShouldBeJsonAsync()).GetProperty("now").GetDateTimeOffset();
    }

    /// <summary>Assigns a managed identity to the emulated host and adds its service principal to fabrikam; returns its client id.</summary>
    public static async Task<string> AssignManagedIdentityAsync(this AdoBridgeServer server, bool systemAssigned)
    {
        var clientId = Guid.NewGuid().ToString();
        using var emulator = await server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("managed-identities", new { clientId, systemAssigned })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await emulator.PostAsJsonAsync("organizations/fabrikam/members", new { servicePrincipalClientId = clientId })).EnsureSuccessStatusCode();
        return clientId;
    }

    /// <summary>Registers an app without secrets that trusts the issuer for <paramref name="subject"/>, in fabrikam; returns its client id.</summary>
    public static async Task<string> RegisterFederatedAppAsync(this AdoBridgeServer server, TestIssuer issuer, string subject = Subject)
    {
        var clientId = Guid.NewGuid().ToString();
        using var emulator = await server.EmulatorAdminAsync();
        (await emulator.PostAsJsonAsync("entra-apps", new { displayName = "Workload bot", clientId, redirectUris = Array.Empty<string>(), secrets = Array.Empty<object>() })).EnsureSuccessStatusCode();
        (await emulator.PostAsJsonAsync("federated-issuers", new { issuer = issuer.Issuer, keys = new[] { issuer.Jwk } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await emulator.PostAsJsonAsync($"entra-apps/{clientId}/federated-credentials", new { name = "aks", issuer = issuer.Issuer, subject })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await emulator.PostAsJsonAsync("organizations/fabrikam/members", new { servicePrincipalClientId = clientId })).EnsureSuccessStatusCode();
        return clientId;
    }

    public static async Task PutAppAsync(this AdoBridgeServer server, string name, object settings)
    {
        using var api = server.Client();
        var response = await api.PutAsJsonAsync($"/v1/admin/apps/{name}", settings);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public static async Task<object> ServicePrincipalAsync(this AdoBridgeServer server, string clientId, bool? useManagedIdentity = null, string? managedIdentityClientId = null, string? federatedTokenFile = null) => new
    {
        type = "service-principal",
        tenant = Tenant,
        authorityHost = await server.EmulatorBaseAsync() + "login.microsoftonline.com",
        clientId,
        useManagedIdentity,
        managedIdentityClientId,
        federatedTokenFile,
    };

    public static async Task<HttpResponseMessage> ConnectServicePrincipalAsync(this AdoBridgeServer server, string app)
    {
        using var api = server.Client();
        return await api.PostAsJsonAsync("/v1/connections", new { type = "service-principal", app, organization = "fabrikam", endUserId = "bot-" + app });
    }

    public static async Task<JsonElement> DoctorCredentialsAsync(this AdoBridgeServer server, string app)
    {
        using var api = server.Client();
        var report = await (await api.GetAsync($"/v1/admin/apps/{app}/doctor")).ShouldBeJsonAsync();
        return report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "credentials");
    }

    /// <summary>A typed action and a proxied call both reach Azure DevOps with the connection's token.</summary>
    public static async Task ShouldReachAzureDevOpsAsync(this AdoBridgeServer server, string connectionId)
    {
        using var api = server.Client();
        var projects = await (await api.GetAsync($"/v1/connections/{connectionId}/organizations/fabrikam/projects")).ShouldBeJsonAsync();
        projects.ToString().ShouldContain("Fabrikam-Fiber-Git");
        var proxied = await (await api.GetAsync($"/v1/proxy/{connectionId}/fabrikam/_apis/projects?api-version=7.1")).ShouldBeJsonAsync();
        proxied.GetProperty("count").GetInt32().ShouldBeGreaterThan(0);
    }
}

/// <summary>Every log line of a server, with its structured values and exception, to prove no credential is written.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

    public void Dispose()
    {
    }

    public void ShouldNotContain(string secret, string what)
        => Lines.Where(l => l.Contains(secret, StringComparison.Ordinal)).ShouldBeEmpty($"{what} was logged");

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(" ", kv.Select(p => $"{p.Key}={p.Value}")) : state?.ToString();
            lines.Enqueue($"{category}: {formatter(state, exception)} | {values} | {exception}");
        }
    }
}
