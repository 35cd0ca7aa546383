namespace AdoBridge.Emulator;

// Injected faults: the next N matching requests get a canned answer instead of the real one.
public sealed partial class EmulatorState
{
    public void InjectFault(EmulatorFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Count, 1);
        lock (_gate)
        {
            _faults.Add(new FaultEntry(fault, fault.Count));
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
                return _faults.Select(f => f.Fault with { Count = f.Remaining }).ToArray();
            }
        }
    }

    /// <summary>Takes one use of the first fault matching the request (path relative to the emulator base).</summary>
    internal EmulatorFault? TryTakeFault(string method, string relativePath)
    {
        lock (_gate)
        {
            var entry = _faults.FirstOrDefault(f =>
                (f.Fault.Method == "*" || string.Equals(f.Fault.Method, method, StringComparison.OrdinalIgnoreCase)) &&
                relativePath.StartsWith(f.Fault.PathPrefix, StringComparison.OrdinalIgnoreCase));
            if (entry is null)
            {
                return null;
            }

            entry.Remaining--;
            if (entry.Remaining <= 0)
            {
                _faults.Remove(entry);
            }

            return entry.Fault;
        }
    }

    private sealed class FaultEntry(EmulatorFault fault, int remaining)
    {
        public EmulatorFault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}
