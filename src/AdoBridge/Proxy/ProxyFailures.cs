using AdoBridge.Problems;
using Yarp.ReverseProxy.Forwarder;

namespace AdoBridge.Proxy;

/// <summary>
/// What the caller is told when YARP's forwarder reports a <see cref="ForwarderError"/>: problem details with a stable code
/// while the response has not started, nothing at all when the caller itself went away (or the answer was already
/// streaming, which YARP then breaks off so the caller sees a truncated response rather than a complete-looking one).
/// </summary>
internal static class ProxyFailures
{
    /// <summary>Whether the caller left (or broke off its own body): nothing to answer, and nothing went wrong in AdoBridge.</summary>
    public static bool CallerLeft(ForwarderError error, HttpContext http)
        => error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
            || http.RequestAborted.IsCancellationRequested;

    /// <summary>The answer for an error before the response started, or null when there is nothing to say.</summary>
    public static IResult? Problem(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.RequestTimedOut => Problems.Problem.Create(StatusCodes.Status504GatewayTimeout, "azure_devops_timeout", "Azure DevOps timed out",
            "Azure DevOps did not answer within Proxy:Timeout. Try again; if it keeps happening, check Azure DevOps' status page."),
        ForwarderError.RequestBodyClient when BadRequestOf(exception) is { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            Problems.Problem.Create(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Payload too large",
                "The request body is larger than the proxy accepts (Proxy:MaxRequestBodySize). Send a smaller body."),
        ForwarderError.RequestBodyClient => Problems.Problem.BadRequest("request_body_incomplete",
            "The request body broke off or did not match its Content-Length or chunked framing. Send the request again with a complete body."),
        ForwarderError.Request or ForwarderError.RequestCreation or ForwarderError.RequestBodyDestination or ForwarderError.ResponseHeaders =>
            Problems.Problem.Create(StatusCodes.Status502BadGateway, "azure_devops_unreachable", "Azure DevOps unreachable",
                $"Azure DevOps could not be reached ({Reason(exception)}). Try again; if it keeps happening, check this server's network and DNS."),
        _ => null,
    };

    private static string Reason(Exception? exception) => Find<HttpRequestException>(exception) is { } e
        ? e.HttpRequestError.ToString()
        : exception is null ? "no answer" : exception.GetType().Name;

    private static BadHttpRequestException? BadRequestOf(Exception? exception) => Find<BadHttpRequestException>(exception);

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }

            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find<T>(inner) is { } nested)
                    {
                        return nested;
                    }
                }
            }
        }

        return null;
    }
}
