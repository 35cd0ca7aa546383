using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AdoBridge.Emulator;

/// <summary>Counts requests and answers injected faults before any emulated service sees the request.</summary>
internal static class EmulatorTrafficFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var relative = EmulatorUrls.RelativePath(http);
        if (relative.StartsWith("/_admin", StringComparison.OrdinalIgnoreCase))
        {
            return await next(invocation);
        }

        var state = http.RequestServices.GetRequiredService<EmulatorState>();
        if (relative.Contains("/_apis", StringComparison.OrdinalIgnoreCase))
        {
            state.Counts.CountApi();
        }
        else if (HttpMethods.IsPost(http.Request.Method) && relative.EndsWith("/token", StringComparison.OrdinalIgnoreCase) && http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            string? client = form["client_id"];
            state.Counts.CountToken(form["grant_type"], client);
        }

        var (fault, extraHeaders) = state.TakeTrafficRule(http.Request.Method, relative);
        foreach (var (name, value) in extraHeaders ?? new Dictionary<string, string>())
        {
            http.Response.Headers[name] = value;
        }

        if (fault is null)
        {
            return await next(invocation);
        }

        http.Response.StatusCode = fault.StatusCode;
        foreach (var (name, value) in fault.Headers ?? new Dictionary<string, string>())
        {
            http.Response.Headers[name] = value;
        }

        if (fault.Body is not null)
        {
            http.Response.ContentType = fault.ContentType ?? "application/json; charset=utf-8";
            await http.Response.WriteAsync(fault.Body, http.RequestAborted);
        }

        return Results.Empty;
    }
}
