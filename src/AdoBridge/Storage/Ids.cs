using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace AdoBridge.Storage;

/// <summary>
/// Public ids like `conn_0193a5c2e4f1k3x9q2m7v8w4z6`: a type prefix, 12 hex digits of milliseconds (so ids sort by
/// creation time, which keyset paging relies on), and 80 random bits.
/// </summary>
/// <remarks>
/// Ids made in the same millisecond by this process still sort in the order they were made: the random part of the
/// next one is the last one's plus a random step of up to 64 bits (the way monotonic ULIDs do it, with a step that
/// keeps a neighbour's id from telling the next one). Each clock has its own sequence; a clock that went back more than
/// a few seconds starts afresh from its own time.
/// </remarks>
internal static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private const int RandomChars = 16;
    private static readonly UInt128 RandomLimit = UInt128.One << (RandomChars * 5);
    private static readonly ConditionalWeakTable<TimeProvider, Sequence> Sequences = [];

    public static string New(string prefix, TimeProvider clock)
    {
        var sequence = Sequences.GetValue(clock, static _ => new Sequence());
        var millis = clock.GetUtcNow().ToUnixTimeMilliseconds();

        // The random bits are drawn before the lock (a system call), so it is held only for the arithmetic.
        Span<byte> bytes = stackalloc byte[24];
        RandomNumberGenerator.Fill(bytes);
        var fresh = new UInt128(BitConverter.ToUInt64(bytes[..8]), BitConverter.ToUInt64(bytes[8..16])) % RandomLimit;
        var step = BitConverter.ToUInt64(bytes[16..]);
        UInt128 random;
        lock (sequence)
        {
            if (millis <= sequence.LastMillis && sequence.LastMillis - millis < 5_000)
            {
                millis = sequence.LastMillis;
                random = sequence.LastRandom + 1 + step;
                if (random >= RandomLimit)
                {
                    millis++;
                    random = fresh >> 1;
                }
            }
            else
            {
                random = fresh;
            }

            sequence.LastMillis = millis;
            sequence.LastRandom = random;
        }

        return $"{prefix}_{millis:x12}{Encode(random)}";
    }

    /// <summary>
    /// The smallest id of this type made at <paramref name="at"/> or later: every id made earlier sorts before it, every id
    /// made then or later after it or equal (it is an id's prefix), so a time can bound a keyset range of ids.
    /// </summary>
    public static string Floor(string prefix, DateTimeOffset at) => $"{prefix}_{Math.Max(0, at.ToUnixTimeMilliseconds()):x12}";

    /// <summary>The last id's time and random part, per clock (the app has one; tests bring their own).</summary>
    private sealed class Sequence
    {
        public long LastMillis = long.MinValue;
        public UInt128 LastRandom;
    }

    private static string Encode(UInt128 random) => string.Create(RandomChars, random, static (chars, value) =>
    {
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
    });
}
