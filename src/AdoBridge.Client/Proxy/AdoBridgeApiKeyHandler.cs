using System.Net.Http.Headers;

namespace AdoBridge.Client;

/// <summary>Authenticates requests to AdoBridge with the API key; requests to any other origin or path pass untouched, so the key cannot leak to them.</summary>
internal sealed class AdoBridgeApiKeyHandler(Uri adoBridge, string apiKey) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri
            && Uri.Compare(uri, adoBridge, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0
            && uri.AbsolutePath.StartsWith(adoBridge.AbsolutePath, StringComparison.Ordinal))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
