using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>AdoBridge refused a call or answered something that is not its API: the status, the stable <see cref="Code"/>, and every detail it sent.</summary>
public sealed class AdoBridgeApiException : Exception
{
    /// <summary>The code used when the answer did not come from AdoBridge's API (a proxy's HTML page, an empty or malformed body).</summary>
    public const string UnexpectedResponseCode = "unexpected_response";

    /// <summary>Creates the exception AdoBridge would cause; for fakes and tests of code that handles it.</summary>
    public AdoBridgeApiException(int status, string code, string title, string? detail = null, string? type = null, IReadOnlyDictionary<string, JsonElement>? extensions = null)
        : base(Describe(status, code, title, detail))
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        extensions ??= new Dictionary<string, JsonElement>();
        Status = status;
        Code = code;
        Title = title;
        Detail = detail;
        Type = type;
        Extensions = extensions;
        Errors = ProblemError.ListFrom(extensions, "errors");
        Warnings = ProblemError.ListFrom(extensions, "warnings");
    }

    /// <summary>The HTTP status code, e.g. 404.</summary>
    public int Status { get; }

    /// <summary>The stable, machine-readable error code, e.g. <c>connection_not_found</c>; <see cref="UnexpectedResponseCode"/> for non-API answers.</summary>
    public string Code { get; }

    /// <summary>A short summary of the kind of problem, e.g. "Not found".</summary>
    public string Title { get; }

    /// <summary>What went wrong and how to fix it, in words a person can act on.</summary>
    public string? Detail { get; }

    /// <summary>The problem type URI, when the server sent one.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1721", Justification = "Named after RFC 9457's `type` member, as the other properties are after theirs.")]
    public string? Type { get; }

    /// <summary>Every other member of the problem details (errors, warnings, connectionStatus, azureErrorCode, traceId…), as sent.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; }

    /// <summary>The fields that need fixing (e.g. for <c>invalid_app_config</c>); empty when the server named none.</summary>
    public IReadOnlyList<ProblemError> Errors { get; }

    /// <summary>Findings that did not stop the call but deserve attention (e.g. a client secret about to expire).</summary>
    public IReadOnlyList<ProblemError> Warnings { get; }

    /// <summary>The connection's status when a call failed because of it (e.g. <c>needs_reauth</c>).</summary>
    public string? ConnectionStatus => StringExtension("connectionStatus");

    /// <summary>The error code Azure DevOps or Entra ID gave (e.g. <c>AADSTS50173</c>), when there was one.</summary>
    public string? AzureErrorCode => StringExtension("azureErrorCode");

    /// <summary>The server's trace id for this request, to find it in AdoBridge's logs.</summary>
    public string? TraceId => StringExtension("traceId");

    /// <summary>
    /// The exception for a failed response you sent yourself (e.g. through <see cref="AdoBridgeProxy"/>): AdoBridge's problem
    /// details with every member, or <see cref="UnexpectedResponseCode"/> when the answer is not AdoBridge's.
    /// </summary>
    public static Task<AdoBridgeApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ProblemReader.ReadAsync(response, cancellationToken);
    }

    private string? StringExtension(string name)
        => Extensions.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Describe(int status, string code, string title, string? detail)
        => detail is null ? $"{title} ({status} {code})" : $"{title} ({status} {code}): {detail}";
}
