namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Everything that stops or observes before the instruction at a linear address, in one
/// registry: the tracer's entry hooks, GDB's breakpoints, and whatever else needs a look at an
/// address (a boot loader's, a future compiled tier's). Each registration has an owner; an
/// address stays hooked while any registration remains, so one owner taking its hook away never
/// takes another's. Blocks start at hooked addresses and carry a flag, so a hook costs nothing
/// where none is set. (Debug-register instruction breakpoints join the same set of block
/// starts inside the CPU; the return watches of traced calls are kept per call, each with its
/// own callback: <see cref="Cpu.WatchReturn"/>.)
/// </summary>
public sealed class ExecutionHooks
{
    private readonly Dictionary<uint, List<HookRegistration>> _byAddress = new();

    /// <summary>Called when the set of hooked addresses changes (the CPU decodes its blocks again).</summary>
    internal Action? AddressesChanged { get; set; }

    /// <summary>The hooked addresses.</summary>
    public IReadOnlyCollection<uint> Addresses => _byAddress.Keys;

    /// <summary>Hooks <paramref name="linear"/> for <paramref name="owner"/>; <paramref name="onHit"/> returns true to stop the run before the instruction.</summary>
    public HookRegistration Add(uint linear, string owner, Func<uint, bool> onHit)
    {
        var r = new HookRegistration(linear, owner, onHit);
        if (!_byAddress.TryGetValue(linear, out List<HookRegistration>? list))
        {
            _byAddress[linear] = list = new List<HookRegistration>(1);
            list.Add(r);
            AddressesChanged?.Invoke();
        }
        else
        {
            list.Add(r);
        }
        return r;
    }

    /// <summary>Takes one registration away; the address stays hooked while others remain. Removing twice is harmless.</summary>
    public void Remove(HookRegistration r)
    {
        if (r.Removed || !_byAddress.TryGetValue(r.Linear, out List<HookRegistration>? list))
        {
            return;
        }
        r.Removed = true;
        list.Remove(r);
        if (list.Count == 0)
        {
            _byAddress.Remove(r.Linear);
            AddressesChanged?.Invoke();
        }
    }

    /// <summary>Whether any owner hooks <paramref name="linear"/>.</summary>
    public bool IsHooked(uint linear) => _byAddress.ContainsKey(linear);

    /// <summary>The registrations of <paramref name="owner"/>.</summary>
    public int CountOf(string owner) => _byAddress.Values.Sum(l => l.Count(r => r.Owner == owner));

    /// <summary>Runs every registration at <paramref name="linear"/> in the order they were added; true if any asks to stop.</summary>
    internal bool Hit(uint linear)
    {
        if (!_byAddress.TryGetValue(linear, out List<HookRegistration>? list))
        {
            return false;
        }
        bool stop = false;
        // By index: a callback may add hooks (they run from the next arrival on).
        int n = list.Count;
        for (int i = 0; i < n && i < list.Count; i++)
        {
            HookRegistration r = list[i];
            if (!r.Removed)
            {
                stop |= r.OnHit(linear);
            }
        }
        return stop;
    }
}
