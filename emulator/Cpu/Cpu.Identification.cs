namespace Minix318Emu.Emulator.Cpu;

/// <summary>CPUID, RDTSC and the model-specific registers a 32-bit kernel touches.</summary>
public sealed partial class Cpu
{
    /// <summary>Family 6, model 3, stepping 3: a signature for which SYSENTER is architecturally valid.</summary>
    public const uint Signature = 0x0000_0633;

    /// <summary>
    /// CPUID.1:EDX: only what is implemented. FPU (0), DE (2: I/O breakpoints with CR4.DE), PSE (3),
    /// TSC (4), MSR (5), CX8 (8), SEP (11), PGE (13), CMOV (15), FXSR (24). No VME, PAE, MCE, APIC
    /// (unless the board has one, see <see cref="FeatureEdxNow"/>), MTRR, MMX or SSE.
    /// </summary>
    public const uint FeatureEdx = (1u << 0) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 8) | (1u << 11) | (1u << 13) | (1u << 15) | (1u << 24);

    private const uint MsrTsc = 0x10, MsrApicBase = 0x1B, MsrBiosSignId = 0x8B, MsrSysenterCs = 0x174, MsrSysenterEsp = 0x175, MsrSysenterEip = 0x176;

    /// <summary>Whether the board has a local APIC (then IA32_APIC_BASE exists and CPUID reports the APIC while it is enabled).</summary>
    public bool ApicPresent { get; set; }

    /// <summary>IA32_APIC_BASE: base 0xFEE00000, BSP (bit 8), global enable (bit 11).</summary>
    public ulong ApicBase { get; private set; } = 0xFEE0_0000 | 0x900;

    /// <summary>Called when the guest changes IA32_APIC_BASE (the enable bit switches the APIC off and on).</summary>
    public Action<ulong>? ApicBaseChanged { get; set; }

    /// <summary>The microcode revision CPUID.1 reports through IA32_BIOS_SIGN_ID: none was loaded.</summary>
    public const uint MicrocodeRevision = 0;

    // IA32_BIOS_SIGN_ID: software writes 0, runs CPUID leaf 1, then reads the revision in EDX (SDM vol. 3A 10.11.7.1).
    private ulong _biosSignId;

    private uint FeatureEdxNow => ApicPresent && (ApicBase & 0x800) != 0 ? FeatureEdx | (1u << 9) : FeatureEdx;

    private void ExecCpuid()
    {
        switch (R[Reg.Eax])
        {
            case 0:
                R[Reg.Eax] = 1;
                R[Reg.Ebx] = 0x756E_6547; // "Genu"
                R[Reg.Edx] = 0x4965_6E69; // "ineI"
                R[Reg.Ecx] = 0x6C65_746E; // "ntel"
                break;
            case 1:
                _biosSignId = (ulong)MicrocodeRevision << 32;
                R[Reg.Eax] = Signature;
                R[Reg.Ebx] = 0;
                R[Reg.Ecx] = 0;
                R[Reg.Edx] = FeatureEdxNow;
                break;
            default:
                // Leaves above the maximum return the highest basic leaf's data, as Intel processors do.
                R[Reg.Eax] = Signature;
                R[Reg.Ebx] = 0;
                R[Reg.Ecx] = 0;
                R[Reg.Edx] = FeatureEdxNow;
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

    /// <summary>The time-stamp counter: one tick per guest clock tick.</summary>
    public ulong Tsc => GuestTicks + TscOffset;

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
            MsrBiosSignId => _biosSignId,
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
            case MsrTsc: TscOffset = v - GuestTicks; break;
            case MsrApicBase when ApicPresent:
                if ((v & ~0xFFFF_F900ul) != 0)
                {
                    throw _fault.Set(ExceptionVectors.GeneralProtection, 0); // reserved bits (32-bit physical addresses: no bits above 31)
                }
                ApicBase = v | 0x100; // this is the bootstrap processor
                ApicBaseChanged?.Invoke(ApicBase);
                break;
            case MsrBiosSignId: _biosSignId = v; break;
            case MsrSysenterCs: SysenterCs = (uint)v; break;
            case MsrSysenterEsp: SysenterEsp = (uint)v; break;
            case MsrSysenterEip: SysenterEip = (uint)v; break;
            default: throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
    }
}
