using System.Net;
using System.Net.Sockets;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// The webhook client's connect step (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolves the host itself, vets every
/// address with the <see cref="DestinationPolicy"/>, and connects to exactly a vetted address. The handler never resolves the
/// name again, so a DNS answer that changes between the check and the connection (rebinding) cannot redirect the request;
/// TLS still verifies the certificate against the URL's host name, which is also the SNI and Host header.
/// </summary>
internal sealed class DestinationConnector(DestinationPolicy policy)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await policy.VetAsync(context.DnsEndPoint.Host, ct);
        Exception? last = null;
        foreach (var address in addresses)
        {
#pragma warning disable CA2000 // disposed on every failure below; on success the returned stream owns it
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
#pragma warning restore CA2000
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
