namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// CPUID, RDTSC and the model-specific registers a 32-bit kernel touches. The processor this CPU
/// identifies as is one real model, described consistently everywhere it shows: an Intel Pentium
/// II 400 (Deschutes, 0.25 µm: family 6, model 5, stepping 2; 100 MHz bus × 4), with its CPUID
/// leaf 2 caches (16 KiB L1 instruction and 16 KiB L1 data cache, 512 KiB L2) and its 400 MHz
/// time-stamp counter. CPUID reports only the features implemented here, a subset of that
/// part's (no VME, PAE, MTRR, MCA, PAT, PSE-36 or MMX), and CR4 accepts exactly the bits those
/// features define. The model has no brand string (no extended leaves) and no leaf 4.
/// </summary>
public sealed partial class Cpu
{
    /// <summary>Family 6, model 5, stepping 2: a Pentium II (Deschutes). SYSENTER is architecturally valid from model 3 stepping 3 on.</summary>
    public const uint Signature = 0x0000_0652;

    /// <summary>
    /// CPUID.1:EDX: only what is implemented. FPU (0), DE (2: I/O breakpoints with CR4.DE), PSE (3),
    /// TSC (4), MSR (5), MCE (7: the machine-check exception is defined and CR4.MCE kept; the
    /// emulated hardware never has a machine error to report), CX8 (8), SEP (11), PGE (13), CMOV
    /// (15), FXSR (24). No VME, PAE, APIC (unless the board has one, see <see cref="FeatureEdxNow"/>),
    /// MTRR, MCA, PAT, PSE-36, MMX or SSE.
    /// </summary>
    public const uint FeatureEdx = (1u << 0) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 7) | (1u << 8) | (1u << 11) | (1u << 13) | (1u << 15) | (1u << 24);

    /// <summary>The highest basic CPUID leaf: 2, the cache and TLB descriptors (a Pentium II has no leaf 3 serial number or leaf 4).</summary>
    public const uint MaxBasicLeaf = 2;

    /// <summary>
    /// CPUID leaf 2 of the Pentium II 400 (EAX, EBX, ECX, EDX; SDM vol. 2A table 3-12): AL = 1
    /// (one call returns everything), then descriptors 01h (instruction TLB, 4 KiB pages, 32
    /// entries, 4-way), 02h (instruction TLB, 4 MiB pages, 2 entries), 03h (data TLB, 4 KiB
    /// pages, 64 entries, 4-way), 43h (L2, 512 KiB, 4-way, 32-byte lines), 08h (L1 instruction
    /// cache, 16 KiB, 4-way, 32-byte lines), 04h (data TLB, 4 MiB pages, 8 entries, 4-way), 0Ch
    /// (L1 data cache, 16 KiB, 4-way, 32-byte lines).
    /// </summary>
    public static ReadOnlySpan<uint> CacheDescriptors => [0x0302_0101, 0, 0, 0x0C04_0843];

    /// <summary>The model's core clock: the time-stamp counter counts at 400 MHz of guest time, whatever the instruction rate.</summary>
    public const ulong TscHz = 400_000_000;

    /// <summary>The CR4 bits this CPU has: those of the features CPUID reports, each tied to its bit (SDM vol. 3A 2.5).</summary>
    public static uint Cr4Supported { get; } = Cr4BitsFor(FeatureEdx);

    /// <summary>
    /// The CR4 bits a CPUID.1:EDX feature set defines: VME and PVI (VME), TSD (TSC), DE, PSE, PAE,
    /// MCE, PGE, OSFXSR (FXSR), OSXMMEXCPT (SSE). PCE is not among them: there are no performance
    /// counters here (RDPMC is #UD), so it stays reserved.
    /// </summary>
    public static uint Cr4BitsFor(uint featureEdx)
    {
        uint bits = 0;
        void Tie(int feature, uint cr4)
        {
            if ((featureEdx & (1u << feature)) != 0)
            {
                bits |= cr4;
            }
        }
        Tie(1, ControlRegs.Cr4VME | ControlRegs.Cr4PVI);
        Tie(2, ControlRegs.Cr4DE);
        Tie(3, ControlRegs.Cr4PSE);
        Tie(4, ControlRegs.Cr4TSD);
        Tie(6, ControlRegs.Cr4PAE);
        Tie(7, ControlRegs.Cr4MCE);
        Tie(13, ControlRegs.Cr4PGE);
        Tie(24, ControlRegs.Cr4OSFXSR);
        Tie(25, ControlRegs.Cr4OSXMMEXCPT);
        return bits;
    }

    private const uint MsrTsc = 0x10, MsrApicBase = 0x1B, MsrBiosSignId = 0x8B, MsrSysenterCs = 0x174, MsrSysenterEsp = 0x175, MsrSysenterEip = 0x176;

    /// <summary>Whether the board has a local APIC (then IA32_APIC_BASE exists and CPUID reports the APIC while it is enabled).</summary>
    public bool ApicPresent { get; set; }


    /// <summary>Called when the guest changes IA32_APIC_BASE (the enable bit switches the APIC off and on).</summary>
    public Action<ulong>? ApicBaseChanged { get; set; }

    /// <summary>The microcode revision CPUID.1 reports through IA32_BIOS_SIGN_ID: none was loaded.</summary>
    public const uint MicrocodeRevision = 0;

    // IA32_BIOS_SIGN_ID: software writes 0, runs CPUID leaf 1, then reads the revision in EDX (SDM vol. 3A 10.11.7.1).

    private uint FeatureEdxNow => ApicPresent && (ApicBase & 0x800) != 0 ? FeatureEdx | (1u << 9) : FeatureEdx;

    private void ExecCpuid()
    {
        uint leaf = R[Reg.Eax];
        switch (leaf)
        {
            case 0:
                R[Reg.Eax] = MaxBasicLeaf;
                R[Reg.Ebx] = 0x756E_6547; // "Genu"
                R[Reg.Edx] = 0x4965_6E69; // "ineI"
                R[Reg.Ecx] = 0x6C65_746E; // "ntel"
                break;
            case 1:
                BiosSignId = (ulong)MicrocodeRevision << 32;
                R[Reg.Eax] = Signature;
                R[Reg.Ebx] = 0; // no brand index, CLFLUSH size or APIC ID fields on a Pentium II
                R[Reg.Ecx] = 0;
                R[Reg.Edx] = FeatureEdxNow;
                break;
            default:
                // Leaf 2, and every leaf above the maximum (the extended 80000000h range included, which this
                // model does not have): the highest basic leaf's data, as Intel processors return.
                ReadOnlySpan<uint> d = CacheDescriptors;
                R[Reg.Eax] = d[0];
                R[Reg.Ebx] = d[1];
                R[Reg.Ecx] = d[2];
                R[Reg.Edx] = d[3];
                break;
        }
    }

    /// <summary>
    /// Guest time for the time-stamp counter: the machine's clock (retired instructions plus the
    /// ticks skipped while halted), so the TSC keeps counting through HLT as a real one does and
    /// stays deterministic. Without a machine, retired instructions alone.
    /// </summary>
    public Func<ulong>? TimeSource { get; set; }

    private ulong GuestTicks => TimeSource?.Invoke() ?? InstructionCount;

    private ulong _ticksPerSecond = Machine.PcMachine.DefaultTicksPerSecond;
    private ulong _tscPerTick = TscHz / Machine.PcMachine.DefaultTicksPerSecond; // 0 when the rate does not divide TscHz

    /// <summary>The guest clock's rate (ticks of <see cref="TimeSource"/> per guest second, <c>--ips</c>), which scales the TSC to <see cref="TscHz"/>.</summary>
    public ulong TicksPerSecond
    {
        get => _ticksPerSecond;
        set
        {
            ArgumentOutOfRangeException.ThrowIfZero(value);
            _ticksPerSecond = value;
            _tscPerTick = TscHz % value == 0 ? TscHz / value : 0;
        }
    }

    /// <summary>Guest ticks as TSC cycles at <see cref="TscHz"/>: what a guest calibrating the TSC against the PIT or the ACPI timer measures.</summary>
    private ulong TscCycles(ulong ticks) => _tscPerTick != 0 ? ticks * _tscPerTick : (ulong)((UInt128)ticks * TscHz / _ticksPerSecond);

    /// <summary>The time-stamp counter: <see cref="TscHz"/> cycles per guest second.</summary>
    public ulong Tsc => TscCycles(GuestTicks) + TscOffset;

    private void ExecRdtsc()
    {
        if ((Cr4 & ControlRegs.Cr4TSD) != 0 && Cpl != 0 && ProtectedMode)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        ulong t = Tsc;
        R[Reg.Eax] = (uint)t;
        R[Reg.Edx] = (uint)(t >> 32);
    }

    private void ExecRdmsr()
    {
        RequireCpl0();
        ulong v = R[Reg.Ecx] switch
        {
            MsrTsc => Tsc,
            MsrApicBase when ApicPresent => ApicBase,
            MsrBiosSignId => BiosSignId,
            MsrSysenterCs => SysenterCs,
            MsrSysenterEsp => SysenterEsp,
            MsrSysenterEip => SysenterEip,
            _ => throw _fault.Set(ExceptionVectors.GeneralProtection, 0),
        };
        R[Reg.Eax] = (uint)v;
        R[Reg.Edx] = (uint)(v >> 32);
    }

    private void ExecWrmsr()
    {
        RequireCpl0();
        ulong v = ((ulong)R[Reg.Edx] << 32) | R[Reg.Eax];
        switch (R[Reg.Ecx])
        {
            case MsrTsc: TscOffset = v - TscCycles(GuestTicks); break;
            case MsrApicBase when ApicPresent:
                if ((v & ~0xFFFF_F900ul) != 0)
                {
                    throw _fault.Set(ExceptionVectors.GeneralProtection, 0); // reserved bits (32-bit physical addresses: no bits above 31)
                }
                ApicBase = v | 0x100; // this is the bootstrap processor
                ApicBaseChanged?.Invoke(ApicBase);
                break;
            case MsrBiosSignId: BiosSignId = v; break;
            case MsrSysenterCs: SysenterCs = (uint)v; break;
            case MsrSysenterEsp: SysenterEsp = (uint)v; break;
            case MsrSysenterEip: SysenterEip = (uint)v; break;
            default: throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
    }
}
