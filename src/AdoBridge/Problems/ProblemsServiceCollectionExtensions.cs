using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace AdoBridge.Problems;

internal static class ProblemsServiceCollectionExtensions
{
    /// <summary>Every error leaves as problem details with a `code`; unexpected exceptions never show their message or stack.</summary>
    public static IServiceCollection AddProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd("code", Problem.DefaultCode(status));
            problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
            if (status == StatusCodes.Status404NotFound && problem.Detail is null)
            {
                problem.Detail = $"There is no route {context.HttpContext.Request.Method} {LogRedaction.Redact(context.HttpContext.Request.Path.ToString())}. The API is described at /openapi/v1.json.";
            }
            else if (status == StatusCodes.Status415UnsupportedMediaType && problem.Detail is null)
            {
                problem.Detail = Problem.UnsupportedMediaTypeDetail(context.HttpContext.Request);
            }
            else if (status == StatusCodes.Status405MethodNotAllowed && problem.Detail is null)
            {
                problem.Detail = $"{LogRedaction.Redact(context.HttpContext.Request.Path.ToString())} does not accept {context.HttpContext.Request.Method}.";
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new WellFormedJsonElementConverter()));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}

/// <summary>Turns request-binding failures into a 400 that says what was wrong, and anything else into a bare 500.</summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string code;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            code = status switch
            {
                StatusCodes.Status413PayloadTooLarge => "payload_too_large",
                StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
                _ => "invalid_request_body",
            };
            detail = bad.InnerException is JsonException json
                ? $"The request body is not valid JSON for this endpoint: {SafeJsonMessage(json)}"
                : status == StatusCodes.Status415UnsupportedMediaType ? Problem.UnsupportedMediaTypeDetail(httpContext.Request) : bad.Message;
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            code = "internal_error";
            detail = "AdoBridge hit an unexpected error. It has been logged with the trace id below; nothing was changed by this request.";
            LogUnhandled(logger, exception.GetType().FullName ?? "Exception", httpContext.Request.Method, LogRedaction.Redact(httpContext.Request.Path.ToString()));
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = status >= 500 ? "Internal error" : "Invalid request", Detail = detail, Extensions = { ["code"] = code } },
        });
    }

    // System.Text.Json messages name the path and position, not the values; keep only that part.
    private static string SafeJsonMessage(JsonException json)
    {
        if (json.Message.StartsWith(WellFormedJsonElementConverter.InvalidUnicode, StringComparison.Ordinal))
        {
            return $"the text at {json.Path ?? "$"} is not valid Unicode (an unpaired surrogate escape such as \\ud800); send well-formed UTF-8 text.";
        }

        var unmapped = UnmappedProperty().Match(json.Message);
        if (unmapped.Success)
        {
            return $"'{unmapped.Groups[1].Value}' is not a setting here; check its spelling against the API description at /openapi/v1.json.";
        }

        return json.Path is null ? "the body could not be parsed." : $"the value at {json.Path} (line {json.LineNumber + 1}) is malformed or has the wrong type.";
    }

    [System.Text.RegularExpressions.GeneratedRegex("The JSON property '([^']{1,100})' could not be mapped")]
    private static partial System.Text.RegularExpressions.Regex UnmappedProperty();

    // The exception message may carry data from the request; log the type and the path (its secret segments redacted) only.
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string exceptionType, string method, string path);
}
