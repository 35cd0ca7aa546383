using System.Net.Sockets;

namespace AdoBridge.Bench;

/// <summary>Shared by the benchmarks: free loopback ports and waiting for a child process to answer.</summary>
internal static class Probes
{
    public static async Task WaitAsync(Func<Task<HttpResponseMessage>> probe)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await probe()).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("A benchmark process did not become ready in 60 s.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
