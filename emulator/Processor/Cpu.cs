using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

using Minix318Emu.Emulator.Processor.Compiler;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// A Pentium-class i386 CPU: state, decode-once block cache, interpreter, segmentation, paging
/// and exception delivery. The partial files split it by concern (Cpu.Flags, Cpu.Memory,
/// Cpu.Paging, Cpu.Blocks, Cpu.Execute*, Cpu.Segments, Cpu.Interrupts, Cpu.System).
/// </summary>
public sealed partial class Cpu : CpuState
{
    private readonly PhysicalMemory _mem;
    private readonly IoBus _io;
    private readonly CpuFault _fault = new();

    /// <summary>Event counts of the slow paths (statistics for profiling).</summary>
    public CpuCounters Counters { get; } = new();
    private readonly byte[] _ram;

    /// <summary>Creates a CPU attached to <paramref name="memory"/> and <paramref name="io"/>, in the reset state.</summary>
    public Cpu(PhysicalMemory memory, IoBus io)
    {
        _mem = memory;
        _io = io;
        _ram = memory.Ram;
        _decoder16 = CreateDecoder(16, _fetch);
        _decoder32 = CreateDecoder(32, _fetch);
        _mem.CodeWritten = OnCodeWritten;
        _mem.MappingChanged += FlushTlb;
        Hooks = new ExecutionHooks { AddressesChanged = RebuildHooks };
        _executor = new Interpreter(this);
        InitTlb();
        Reset();
        if (DefaultTier != ExecutionTier.Interp)
        {
            Tier = DefaultTier;
        }
    }

    /// <summary>What runs a block's instructions (<see cref="IBlockExecutor"/>); the interpreter unless a compiled tier is installed.</summary>
    internal IBlockExecutor BlockExecutor
    {
        get => _executor;
        set
        {
            _executor = value;
            _chainTier = value as Compiler.CompiledTier;
        }
    }

    /// <summary>The physical memory the CPU is wired to.</summary>
    public PhysicalMemory Memory => _mem;

    /// <summary>The I/O bus the CPU is wired to.</summary>
    public IoBus Io => _io;

    /// <summary>Asked at instruction boundaries for a pending maskable interrupt; null when nothing is wired.</summary>
    public IInterruptController? InterruptController { get; set; }


    /// <summary>Whether protected mode is on (CR0.PE).</summary>
    public bool ProtectedMode => (Cr0 & ControlRegs.Cr0PE) != 0;

    /// <summary>Whether paging is on (CR0.PG).</summary>
    public bool PagingEnabled => (Cr0 & ControlRegs.Cr0PG) != 0;

    /// <summary>Puts the CPU in the state a hardware reset gives (SDM Vol. 3A, Table 9-1).</summary>
    public void Reset()
    {
        Array.Clear(R);
        R[Reg.Edx] = Signature; // the processor signature CPUID leaf 1 also reports
        SetFlags(EFlags.Reserved1);
        Eip = 0xFFF0;
        Cr0 = ControlRegs.Cr0ET | ControlRegs.Cr0CD | ControlRegs.Cr0NW;
        Cr2 = Cr3 = Cr4 = 0;
        Array.Clear(Dr);
        Dr[6] = 0xFFFF0FF0;
        Dr[7] = 0x400;
        DataBreakpointHits = 0;
        ArmBreakpoints(); // none: DR7 is clear
        for (int i = 0; i < 6; i++)
        {
            Seg[i] = RealSegment(0, 0);
        }
        Seg[SegReg.Cs] = RealSegment(0xF000, 0xFFFF_0000);
        GdtBase = IdtBase = 0;
        GdtLimit = IdtLimit = 0xFFFF;
        Ldtr = new SegmentCache { Limit = 0xFFFF, Attr = 0x82 };
        Tr = new SegmentCache { Limit = 0xFFFF, Attr = 0x8B };
        Cpl = 0;
        Halted = false;
        InterruptShadow = MovSsShadow = false;
        NmiPending = NmiBlocked = false;
        SysenterCs = SysenterEsp = SysenterEip = 0;
        Fpu.Reset();
        ClearFerr();
        FlushTlb();
        InvalidateAllBlocks();
        RefreshMode();
    }

    /// <summary>A real-mode segment cache: base = selector * 16, 64 KiB limit, read/write data or code (DPL 0, or 3 in virtual-8086 mode).</summary>
    internal static SegmentCache RealSegment(ushort selector, uint baseAddr, ushort attr = 0x93)
    {
        var s = new SegmentCache { Selector = selector, Base = baseAddr, Limit = 0xFFFF, Attr = attr };
        s.Refresh(false);
        return s;
    }

    /// <summary>Continues real-mode execution at <paramref name="cs"/>:<paramref name="ip"/> (a loader's far jump).</summary>
    public void JumpRealMode(ushort cs, uint ip)
    {
        LoadRealCs(cs);
        Eip = ip & 0xFFFF;
    }

    /// <summary>Sets CR0 for a loader that hands over in protected mode (no #GP checks, caches refreshed).</summary>
    public void WriteCr0ForBoot(uint value)
    {
        Cr0 = value | ControlRegs.Cr0ET;
        Cpl = 0;
        FlushTlb();
        RefreshMode();
    }

    /// <summary>Loads a flat 4 GiB segment cache for a protected-mode boot (as multiboot requires).</summary>
    public void LoadFlatSegment(int seg, ushort selector, bool code)
    {
        var s = new SegmentCache
        {
            Selector = selector,
            Base = 0,
            Limit = 0xFFFF_FFFF,
            Attr = (ushort)((code ? 0x9B : 0x93) | 0xC00),
        };
        s.Refresh(true);
        Seg[seg] = s;
        RefreshMode();
    }
}
