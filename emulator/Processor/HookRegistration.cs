namespace Minix318Emu.Emulator.Processor;

/// <summary>One owner's hook at one linear address; hand it back to <see cref="ExecutionHooks.Remove"/> to take the hook away.</summary>
public sealed class HookRegistration
{
    internal HookRegistration(uint linear, string owner, Func<uint, bool> onHit)
    {
        Linear = linear;
        Owner = owner;
        OnHit = onHit;
    }

    /// <summary>The hooked linear address.</summary>
    public uint Linear { get; }

    /// <summary>Who set it ("tracer", "gdb", ...), for diagnostics and counts.</summary>
    public string Owner { get; }

    /// <summary>Called before the instruction at <see cref="Linear"/> runs; true stops the run there (a breakpoint).</summary>
    internal Func<uint, bool> OnHit { get; }

    /// <summary>Whether it has been removed.</summary>
    public bool Removed { get; internal set; }
}
