using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Mcp;

/// <summary>
/// AdoBridge's own words for a 2025-11-25 client that sends a request other than `initialize` without a session: the SDK
/// answers a JSON-RPC error -32000 whose message tells a server developer which SDK setting to change, which the client's
/// user cannot act on. Requests without `Mcp-Session-Id` pass through a stream that looks at the status when the first byte
/// is written; only a 400 is held back, and only that SDK message is replaced (same code, same status).
/// </summary>
internal static class McpInitializeFirst
{
    public const int SessionRequiredCode = -32000;

    public const string Message = "Send initialize first: this server keeps a session for clients of the 2025-11-25 revision. "
        + "POST an `initialize` request, then send the `Mcp-Session-Id` header its answer carries on every later request "
        + "(a client that lost its session, after a restart for example, starts a new one the same way). "
        + "Clients of the 2026-07-28 revision need no session: they send `MCP-Protocol-Version: 2026-07-28`.";

    // The SDK's message (ModelContextProtocol.AspNetCore 2.4.0) for this case begins so; any other 400 passes unchanged.
    private const string SdkMessageStart = "Bad Request: A new session can only be created by an initialize request";

    public static async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Headers.ContainsKey("Mcp-Session-Id"))
        {
            await next(http);
            return;
        }

        var original = http.Response.Body;
        var watch = new BadRequestCapture(original, http.Response);
        http.Response.Body = watch;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        if (watch.Captured is { } captured)
        {
            var body = Rewrite(captured.ToArray()) ?? captured.ToArray();
            http.Response.ContentLength = body.Length;
            await original.WriteAsync(body, http.RequestAborted);
        }
    }

    /// <summary>AdoBridge's error for the SDK's "initialize first" error, or null for any other body.</summary>
    internal static byte[]? Rewrite(byte[] body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject message && message["error"] is JsonObject error
                && error["code"]?.GetValueKind() == JsonValueKind.Number && error["code"]!.GetValue<int>() == SessionRequiredCode
                && error["message"]?.GetValueKind() == JsonValueKind.String && error["message"]!.GetValue<string>().StartsWith(SdkMessageStart, StringComparison.Ordinal))
            {
                error["message"] = Message;
                return JsonSerializer.SerializeToUtf8Bytes(message);
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>Writes through, unless the response is a 400 when its first byte (or flush) comes: then it keeps the (small) body.</summary>
    private sealed class BadRequestCapture(Stream inner, HttpResponse response) : Stream
    {
        private bool decided;

        public MemoryStream? Captured { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Target() is { } target)
            {
                target.Write(buffer);
            }
            else
            {
                inner.Write(buffer);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            => Target() is { } target ? target.WriteAsync(buffer, cancellationToken) : inner.WriteAsync(buffer, cancellationToken);

        public override void Flush()
        {
            if (Target() is null)
            {
                inner.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Target() is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        /// <summary>The buffer when this response is being held back, else null (write through).</summary>
        private MemoryStream? Target()
        {
            if (!decided)
            {
                decided = true;
                if (response.StatusCode == StatusCodes.Status400BadRequest)
                {
                    Captured = new MemoryStream();
                }
            }

            return Captured;
        }
    }
}
