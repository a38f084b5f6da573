namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// A run of decoded instructions that starts at one physical address and ends at a control
/// transfer, a state-changing system instruction, a hooked address, or the end of the page.
/// A block never spans pages, except that its last instruction may cross into the next page;
/// it is then registered on both pages, so a write to either invalidates it.
/// </summary>
internal sealed class Block
{
    /// <summary>Longest block; bounds the latency of interrupt checks and event delivery.</summary>
    public const int MaxOps = 64;

    public Block(uint phys, bool code32, DecodedOp[] ops, int count, uint lastPhysPage, uint linear, bool hooked)
    {
        Linear = linear;
        Hooked = hooked;
        Phys = phys;
        Code32 = code32;
        Ops = ops;
        Count = count;
        LastPhysPage = lastPhysPage;
    }

    public readonly uint Phys;
    public readonly bool Code32;
    public readonly DecodedOp[] Ops;
    public readonly int Count;
    public readonly uint LastPhysPage;

    /// <summary>Whether the block's instruction crosses into a second page (such a block holds only that instruction).</summary>
    public bool CrossesPage => LastPhysPage != Phys >> 12;

    /// <summary>The linear address the block was decoded at.</summary>
    public readonly uint Linear;

    /// <summary>Whether an execution hook sits at <see cref="Linear"/>: checked per block instead of a set lookup.</summary>
    public readonly bool Hooked;

    /// <summary>Cleared when the guest writes to the code; the interpreter stops using the block at once.</summary>
    public bool Valid = true;

    /// <summary>
    /// The block that ran after this one last time, at linear address <see cref="LinkLinear"/>,
    /// valid while the CPU's translation epoch is still <see cref="LinkEpoch"/> and the CPU uses
    /// the TLB set <see cref="LinkSet"/> (the privilege the target's fetch was checked at): a
    /// one-entry chain that skips the lookup on loops and straight-line code.
    /// </summary>
    /// <summary>The block's host code once the compiled tier has made it; null while it is interpreted.</summary>
    public volatile Compiler.CompiledCode? Compiled;

    /// <summary>How many times the block ran in the interpreter under the compiled tier: it is compiled when this reaches the tier's threshold.</summary>
    public int Heat;

    public Block? Link;
    public uint LinkLinear;
    public uint LinkEpoch;
    public int LinkSet;
}
