namespace AdoBridge.Emulator;

// Injected faults and throttle rules, one mechanism: the next N matching requests (or those until a time on the
// emulator clock) get a canned answer, or extra headers, instead of or on top of the real one.
public sealed partial class EmulatorState
{
    public void InjectFault(EmulatorFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Count, 1);
        lock (_gate)
        {
            _faults.Add(new FaultEntry(fault, null, fault.Count, null));
        }
    }

    /// <summary>Adds a throttle rule (429 with Retry-After and X-RateLimit-*, or the headers alone when near the limit).</summary>
    public void Throttle(EmulatorThrottle rule)
    {
        if (rule.Count is null && rule.Seconds is null)
        {
            throw new ArgumentException("A throttle rule needs a count of requests, a duration in seconds, or both.", nameof(rule));
        }

        lock (_gate)
        {
            _faults.Add(new FaultEntry(null, rule, rule.Count ?? int.MaxValue, rule.Seconds is { } s ? Now.AddSeconds(s) : null));
        }
    }

    public void ClearThrottles()
    {
        lock (_gate)
        {
            _faults.RemoveAll(f => f.Throttle is not null);
        }
    }

    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Faults not yet used up, with how many uses remain.</summary>
    public IReadOnlyList<EmulatorFault> Faults
    {
        get
        {
            lock (_gate)
            {
                return _faults.Where(f => f.Fault is not null).Select(f => f.Fault! with { Count = f.Remaining }).ToArray();
            }
        }
    }

    /// <summary>Throttle rules still in force.</summary>
    public IReadOnlyList<EmulatorThrottle> Throttles
    {
        get
        {
            lock (_gate)
            {
                var now = Now;
                return _faults.Where(f => f.Throttle is not null && (f.Until is null || f.Until > now)).Select(f => f.Throttle! with { Count = f.Remaining == int.MaxValue ? null : f.Remaining }).ToArray();
            }
        }
    }

    /// <summary>Takes one use of the first rule matching the request (path relative to the emulator base): a fault or a
    /// blocking throttle answers instead of the service; a non-blocking throttle only adds headers.</summary>
    internal (EmulatorFault? Answer, IReadOnlyDictionary<string, string>? ExtraHeaders) TakeTrafficRule(string method, string relativePath)
    {
        lock (_gate)
        {
            var now = Now;
            _faults.RemoveAll(f => f.Until is { } until && until <= now);
            var entry = _faults.FirstOrDefault(f =>
                relativePath.StartsWith(f.Fault?.PathPrefix ?? f.Throttle!.PathPrefix, StringComparison.OrdinalIgnoreCase) &&
                (f.Fault is null || f.Fault.Method == "*" || string.Equals(f.Fault.Method, method, StringComparison.OrdinalIgnoreCase)));
            if (entry is null)
            {
                return (null, null);
            }

            if (entry.Remaining != int.MaxValue)
            {
                entry.Remaining--;
            }

            if (entry.Remaining <= 0)
            {
                _faults.Remove(entry);
            }

            if (entry.Fault is not null)
            {
                return (entry.Fault, null);
            }

            var rule = entry.Throttle!;
            return rule.Block ? (ThrottleAnswer.Blocked(rule, now), null) : (null, ThrottleAnswer.Headers(rule, now));
        }
    }

    private sealed class FaultEntry(EmulatorFault? fault, EmulatorThrottle? throttle, int remaining, DateTimeOffset? until)
    {
        public EmulatorFault? Fault { get; } = fault;

        public EmulatorThrottle? Throttle { get; } = throttle;

        public DateTimeOffset? Until { get; } = until;

        public int Remaining { get; set; } = remaining;
    }
}
