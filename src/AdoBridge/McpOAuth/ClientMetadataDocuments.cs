using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AdoBridge.Hosting;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AdoBridge.McpOAuth;

/// <summary>
/// Client ID metadata documents: a client whose client_id is an https URL is registered from the JSON document at that
/// URL, fetched before OpenIddict looks the client up. The fetch guards against SSRF: public addresses only (checked
/// at connect time, so DNS cannot rebind it), no redirects, a 5 s timeout and a 16 KB limit; http and loopback only in
/// sandbox mode, where the test's client documents live.
/// </summary>
internal sealed class ClientMetadataDocuments(IHttpClientFactory http, SandboxMode sandbox, IOptionsMonitor<McpOAuthOptions> options, IOpenIddictApplicationManager applications)
    : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public const string HttpClientName = "mcp-client-metadata";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private const int MaxBytes = 16 * 1024;

    public static OpenIddictServerHandlerDescriptor Handler { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
        .UseScopedHandler<ClientMetadataDocuments>()
        .SetOrder(OpenIddictServerHandlers.Authentication.ValidateAuthentication.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public static bool IsDocumentUrl(string? clientId) => clientId is not null && clientId.StartsWith("http", StringComparison.Ordinal) && clientId.Contains("://", StringComparison.Ordinal);

    public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        var clientId = context.ClientId;
        if (!IsDocumentUrl(clientId))
        {
            return;
        }

        if (!options.CurrentValue.ClientMetadataDocuments)
        {
            context.Reject(Errors.InvalidClient, "Client ID metadata documents are turned off here (AdoBridge:Mcp:OAuth:ClientMetadataDocuments); register the client instead.");
            return;
        }

        var (metadata, problem) = await FetchAsync(clientId!, context.CancellationToken);
        problem ??= metadata!.ClientId != clientId ? "The document's client_id is not the URL it was fetched from." : McpClients.Check(metadata) is { } invalid ? invalid.Description : null;
        if (problem is not null)
        {
            context.Reject(Errors.InvalidClient, "The client ID metadata document was refused: " + problem);
            return;
        }

        var descriptor = McpClients.Descriptor(clientId!, metadata!);
        if (await applications.FindByClientIdAsync(clientId!, context.CancellationToken) is { } existing)
        {
            await applications.UpdateAsync(existing, descriptor, context.CancellationToken);
        }
        else
        {
            await applications.CreateAsync(descriptor, context.CancellationToken);
        }
    }

    private async Task<(ClientMetadata? Metadata, string? Problem)> FetchAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0 || uri.AbsolutePath == "/")
        {
            return (null, "the client_id must be an https URL with a path.");
        }

        var loopbackAllowed = sandbox.Enabled && IsLoopbackName(uri);
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && loopbackAllowed))
        {
            return (null, "the client_id must be an https URL.");
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.ParseAdd("application/json");
            request.Options.Set(AllowLoopback, loopbackAllowed);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (null, $"fetching it answered {(int)response.StatusCode} (redirects are not followed).");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return (null, $"it is larger than {MaxBytes} bytes.");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[MaxBytes + 1];
            var read = 0;
            while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0)
            {
                read += n;
            }

            return read > MaxBytes ? (null, $"it is larger than {MaxBytes} bytes.") : (JsonSerializer.Deserialize<ClientMetadata>(buffer.AsSpan(0, read)), null);
        }
        catch (JsonException)
        {
            return (null, "it is not a JSON client metadata document.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or NotAnAllowedAddressException)
        {
            return (null, e is NotAnAllowedAddressException or HttpRequestException { InnerException: NotAnAllowedAddressException }
                ? "its host resolves to a private, loopback or link-local address."
                : "it could not be fetched within the time limit.");
        }
    }

    private static readonly HttpRequestOptionsKey<bool> AllowLoopback = new("adobridge.allow-loopback");

    private static bool IsLoopbackName(Uri uri) => uri.IsLoopback || uri.IdnHost is "localhost";

    /// <summary>The connect step of the metadata client: only public addresses (loopback too when the request allows it).</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var allowLoopback = context.InitialRequestMessage.Options.TryGetValue(AllowLoopback, out var allowed) && allowed;
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
        var address = addresses.FirstOrDefault(a => IsPublic(a) || (allowLoopback && IPAddress.IsLoopback(a))) ?? throw new NotAnAllowedAddressException();
#pragma warning disable CA2000 // The NetworkStream returned owns the socket; it is disposed on failure below.
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
#pragma warning restore CA2000
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast)
        {
            return false;
        }

        var b = address.GetAddressBytes();
        return address.AddressFamily != AddressFamily.InterNetwork || !(b[0] is 0 or 10 or 127 || b[0] >= 224
            || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && b[1] is >= 64 and <= 127));
    }

    private sealed class NotAnAllowedAddressException() : Exception("The address is not allowed.");
}
