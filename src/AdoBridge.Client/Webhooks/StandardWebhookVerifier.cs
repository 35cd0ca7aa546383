using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AdoBridge.Client;

/// <summary>
/// Verifies webhooks from AdoBridge (or any Standard Webhooks sender) before your product trusts them: the
/// <c>webhook-signature</c> must be an HMAC-SHA256 by the endpoint's secret over <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// compared in constant time, and the timestamp within the tolerance (5 minutes by default) so old requests cannot be replayed.
/// Deduplicate on <c>webhook-id</c>: retries and replays of one event carry the same id.
/// </summary>
/// <remarks>Pass the body exactly as received (bytes or the unmodified string), before any JSON parsing.</remarks>
public sealed class StandardWebhookVerifier
{
    private readonly byte[][] keys;
    private readonly TimeSpan tolerance;
    private readonly TimeProvider clock;

    /// <summary>Creates a verifier for an endpoint's secret (<c>whsec_…</c>).</summary>
    public StandardWebhookVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? clock = null)
        : this([secret], tolerance, clock)
    {
    }

    /// <summary>Creates a verifier that accepts any of several secrets, e.g. the old and new one while you roll to a rotated secret.</summary>
    public StandardWebhookVerifier(IEnumerable<string> secrets, TimeSpan? tolerance = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        keys = [.. secrets.Select(Decode)];
        if (keys.Length == 0)
        {
            throw new ArgumentException("Give at least one webhook secret.", nameof(secrets));
        }

        this.tolerance = tolerance ?? TimeSpan.FromMinutes(5);
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>Checks a webhook; throws <see cref="WebhookVerificationException"/> saying why when it is not genuine or too old.</summary>
    public void Verify(string? webhookId, string? webhookTimestamp, string? webhookSignature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(webhookTimestamp) || string.IsNullOrEmpty(webhookSignature))
        {
            throw new WebhookVerificationException("A webhook-id, webhook-timestamp or webhook-signature header is missing.");
        }

        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new WebhookVerificationException("The webhook-timestamp header is not a Unix time in seconds.");
        }

        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if (age > tolerance || age < -tolerance)
        {
            throw new WebhookVerificationException("The webhook-timestamp is outside the allowed tolerance (too old or in the future).");
        }

        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{webhookTimestamp}.");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var expected = keys.Select(k => HMACSHA256.HashData(k, message)).ToArray();

        var matched = false;
        foreach (var candidate in webhookSignature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = candidate.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || candidate[..comma] != "v1")
            {
                continue;
            }

            var given = new byte[32];
            if (!Convert.TryFromBase64String(candidate[(comma + 1)..], given, out var written) || written != given.Length)
            {
                continue;
            }

            foreach (var e in expected)
            {
                // Keep comparing after a match, so the time taken does not tell which signature matched.
                matched |= CryptographicOperations.FixedTimeEquals(given, e);
            }
        }

        if (!matched)
        {
            throw new WebhookVerificationException("No webhook-signature matches: wrong secret, or the body was changed (verify the raw body as received).");
        }
    }

    /// <summary>Checks a webhook whose body is the exact string received.</summary>
    public void Verify(string? webhookId, string? webhookTimestamp, string? webhookSignature, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Verify(webhookId, webhookTimestamp, webhookSignature, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Checks a webhook given its request headers (names compared case-insensitively) and the raw body.</summary>
    public void Verify(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? Header(string name) => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        Verify(Header("webhook-id"), Header("webhook-timestamp"), Header("webhook-signature"), body);
    }

    /// <summary>True when the webhook is genuine and recent; <see cref="Verify(string, string, string, ReadOnlySpan{byte})"/> says why not.</summary>
    public bool TryVerify(string? webhookId, string? webhookTimestamp, string? webhookSignature, ReadOnlySpan<byte> body)
    {
        try
        {
            Verify(webhookId, webhookTimestamp, webhookSignature, body);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }

    private static byte[] Decode(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var value = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret;
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            // Never echo the secret, not even in part.
            throw new ArgumentException("The webhook secret is not 'whsec_' followed by base64: copy it exactly as AdoBridge returned it.", nameof(secret));
        }
    }
}

/// <summary>A webhook failed verification; the message says why (never the secret).</summary>
public sealed class WebhookVerificationException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public WebhookVerificationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with no reason.</summary>
    public WebhookVerificationException() : base("The webhook failed verification.")
    {
    }

    /// <summary>Creates the exception with a reason and a cause.</summary>
    public WebhookVerificationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
