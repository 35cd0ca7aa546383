using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Problems;

/// <summary>RFC 9457 problem details with a stable machine-readable `code` and a message a person can act on.</summary>
internal static class Problem
{
    public static ProblemHttpResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                ext[key] = value;
            }
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: ext);
    }

    public static ProblemHttpResult NotFound(string code, string detail) => Create(StatusCodes.Status404NotFound, code, "Not found", detail);

    public static ProblemHttpResult BadRequest(string code, string detail, IDictionary<string, object?>? extensions = null)
        => Create(StatusCodes.Status400BadRequest, code, "Invalid request", detail, extensions);

    public static ProblemHttpResult Conflict(string code, string detail) => Create(StatusCodes.Status409Conflict, code, "Conflict", detail);

    /// <summary>What a JSON route says to a body sent without `Content-Type: application/json`.</summary>
    public static string UnsupportedMediaTypeDetail(HttpRequest request)
    {
        var sent = request.ContentType;
        return "Send the request body as JSON with the header 'Content-Type: application/json'"
            + (string.IsNullOrEmpty(sent) ? " (this request had no Content-Type)." : $" (this request said '{(sent.Length > 100 ? sent[..100] : sent)}').");
    }

    /// <summary>The default code for a status when the handler set none (framework answers such as 404 for an unknown route).</summary>
    public static string DefaultCode(int status) => status switch
    {
        400 => "invalid_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        429 => "too_many_requests",
        503 => "service_unavailable",
        >= 500 => "internal_error",
        _ => "error",
    };
}
