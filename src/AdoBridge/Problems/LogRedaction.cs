using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AdoBridge.Problems;

/// <summary>
/// Keeps route values that are secrets out of every log line, whoever writes it (AdoBridge, ASP.NET Core's hosting,
/// Kestrel, the exception handler): connect-link tokens (`/connect/{token}/…`), service-hook ingest paths
/// (`/hooks/ado/{path}`) and the OAuth callback's query (`code`, `state`). Applied to messages, structured values and
/// exception texts before any provider sees them.
/// </summary>
internal static partial class LogRedaction
{
    public const string Marker = "[redacted]";

    /// <summary>The text with every secret route value replaced by <see cref="Marker"/>.</summary>
    public static string Redact(string text)
    {
        if (!text.Contains("/connect/", StringComparison.OrdinalIgnoreCase) && !text.Contains("/hooks/ado/", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        return SecretRouteValue().Replace(text, Marker);
    }

    /// <summary>Every logger the host creates writes through the redaction, including providers added after this call.</summary>
    public static IServiceCollection AddLogRedaction(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new LoggerFactory(
            sp.GetServices<ILoggerProvider>().Select(p => new RedactingLoggerProvider(p)),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>())));
        return services;
    }

    // A connect token is the segment after /connect/ (except the fixed callback route), an ingest path the segment after
    // /hooks/ado/; the callback's query carries the authorisation code and state. Matched however the path is cased.
    [GeneratedRegex("""(?<=/connect/callback\?)[^\s"'<>\\]+|(?<=/connect/)(?!callback(?:[/?#\s"'<>\\]|$))[^/?#\s"'<>\\]+|(?<=/hooks/ado/)[^/?#\s"'<>\\]+""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretRouteValue();
}

/// <summary>Wraps a provider so its loggers only ever see redacted text.</summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose()
    {
        // The inner provider belongs to the container, which disposes it.
    }
}

internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        var redactedMessage = LogRedaction.Redact(message);
        var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
        var redactedValues = values is null ? null : RedactValues(values);
        var redactedException = exception is null ? null : RedactedException.From(exception);
        if (ReferenceEquals(redactedMessage, message) && redactedValues is null && ReferenceEquals(redactedException, exception))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        var safe = new RedactedState(redactedMessage, redactedValues ?? (IReadOnlyList<KeyValuePair<string, object?>>?)values ?? []);
        inner.Log(logLevel, eventId, safe, redactedException, static (s, _) => s.Message);
    }

    /// <summary>The values with secrets redacted, or null when none had any. Numbers and other non-text values are kept as they are.</summary>
    private static List<KeyValuePair<string, object?>>? RedactValues(IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        List<KeyValuePair<string, object?>>? copy = null;
        for (var i = 0; i < values.Count; i++)
        {
            var (key, value) = values[i];
            if (value is null || value.GetType().IsPrimitive || value is Enum or decimal or DateTimeOffset or DateTime or TimeSpan or Guid)
            {
                copy?.Add(values[i]);
                continue;
            }

            var text = value.ToString() ?? string.Empty;

            // A query string logged on its own (ASP.NET Core's request lines) has no path around it to tell a callback's
            // code and state from harmless parameters: query strings are never logged.
            var redacted = key.Equals("QueryString", StringComparison.OrdinalIgnoreCase) && text.Length > 1 ? "?" + LogRedaction.Marker : LogRedaction.Redact(text);
            if (!ReferenceEquals(redacted, text) && copy is null)
            {
                copy = [.. values.Take(i)];
            }

            copy?.Add(ReferenceEquals(redacted, text) ? values[i] : new(key, redacted));
        }

        return copy;
    }

    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public int Count => values.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}

/// <summary>An exception as logged, its message and text (type, message, stack, inner exceptions) redacted.</summary>
internal sealed class RedactedException : Exception
{
    private readonly string text;
    private readonly string typeName;

    private RedactedException(Exception original, string message, string text) : base(message)
    {
        this.text = text;
        typeName = original.GetType().FullName ?? original.GetType().Name;
        HResult = original.HResult;
    }

    /// <summary>The original exception when nothing in it is secret, else a stand-in that carries only redacted text.</summary>
    public static Exception From(Exception exception)
    {
        var text = exception.ToString();
        var redacted = LogRedaction.Redact(text);
        return ReferenceEquals(redacted, text) ? exception : new RedactedException(exception, LogRedaction.Redact(exception.Message), redacted);
    }

    /// <summary>The original exception's type name.</summary>
    public string OriginalType => typeName;

    public override string ToString() => text;
}
