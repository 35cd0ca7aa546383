using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AdoBridge.Client;

/// <summary>Sends one API call: resolves the path against the base address, adds the API key, and turns every failure into <see cref="AdoBridgeApiException"/>.</summary>
internal sealed class AdoBridgeTransport
{
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptProblem = new("application/problem+json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptEventStream = new("text/event-stream");

    private readonly HttpClient http;
    private readonly Uri baseAddress;
    private readonly string? apiKey;

    public AdoBridgeTransport(HttpClient http, AdoBridgeClientOptions options)
    {
        this.http = http;
        var address = options.BaseAddress ?? http.BaseAddress
            ?? throw new ArgumentException("AdoBridge's address is missing: set AdoBridgeClientOptions.BaseAddress or HttpClient.BaseAddress (e.g. https://adobridge.contoso.com/).", nameof(options));
        if (!address.IsAbsoluteUri)
        {
            throw new ArgumentException($"AdoBridge's address must be absolute (e.g. https://adobridge.contoso.com/), not '{address}'.", nameof(options));
        }

        // A trailing slash keeps a path prefix (https://host/adobridge/) when relative paths are resolved against it.
        baseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
        apiKey = string.IsNullOrEmpty(options.ApiKey) ? null : options.ApiKey;
    }

    /// <summary>AdoBridge's base address, ending with '/'.</summary>
    public Uri BaseAddress => baseAddress;

    /// <summary>The API key from the options; null when a handler in the HttpClient adds it.</summary>
    public string? ApiKey => apiKey;

    public Task<T> GetAsync<T>(string path, JsonTypeInfo<T> responseType, CancellationToken ct)
        => SendAsync(HttpMethod.Get, path, null, responseType, ct);

    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> responseType, CancellationToken ct)
    {
        using var response = await SendCoreAsync(method, path, content, ct).ConfigureAwait(false);
        return await ReadAsync(response, responseType, ct).ConfigureAwait(false);
    }

    public async Task SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var response = await SendCoreAsync(method, path, content, ct).ConfigureAwait(false);
    }

    public static JsonContent Json<T>(T body, JsonTypeInfo<T> type) => JsonContent.Create(body, type);

    /// <summary>Opens a server-sent event stream, resuming after <paramref name="lastEventId"/> when given; a refusal throws.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, string? lastEventId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path));
        request.Headers.Accept.Add(AcceptEventStream);
        request.Headers.Accept.Add(AcceptProblem);
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                return response;
            }

            using (response)
            {
                throw await ProblemReader.UnexpectedAsync(response, "is not an event stream", ct).ConfigureAwait(false);
            }
        }

        using (response)
        {
            throw await ProblemReader.ReadAsync(response, ct).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseAddress, path)) { Content = content };
        request.Headers.Accept.Add(AcceptJson);
        request.Headers.Accept.Add(AcceptProblem);
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProblemReader.ReadAsync(response, ct).ConfigureAwait(false);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken ct)
    {
        if (!ProblemReader.IsJson(response.Content.Headers.ContentType?.MediaType))
        {
            throw await ProblemReader.UnexpectedAsync(response, "is not JSON", ct).ConfigureAwait(false);
        }

        try
        {
            return await response.Content.ReadFromJsonAsync(type, ct).ConfigureAwait(false)
                ?? throw ProblemReader.Unexpected(response, "was null instead of a " + typeof(T).Name, null);
        }
        catch (JsonException e)
        {
            // JsonException names the path and position only, never the values, so its message is safe to pass on.
            throw ProblemReader.Unexpected(response, $"does not match {typeof(T).Name}: {e.Message}", null);
        }
    }
}
