namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The debug registers (SDM vol. 3B chapter 17): DR0-DR3 breakpoints armed by DR7 — instruction
/// breakpoints as faults before the instruction (unless EFLAGS.RF), data write and read/write
/// breakpoints of 1, 2 or 4 bytes as traps after it — with DR6's B0-B3, BD and BS, general
/// detect (DR7.GD), I/O breakpoints (R/W = 10) when CR4.DE is set, and DR4/DR5 as aliases of
/// DR6/DR7 when it is not. Instruction breakpoints ride on the execution hooks (blocks start at
/// their addresses), data breakpoints on the watchpoint pages (kept out of the TLB), so nothing
/// is checked while none is armed.
/// </summary>
public sealed partial class Cpu
{
    private const uint Dr6Bd = 1u << 13, Dr6Bs = 1u << 14, Dr6Bt = 1u << 15, Dr7Gd = 1u << 13;

    private readonly uint[] _drExec = new uint[4];
    private int _drExecMask;                 // bit n: DRn is an armed instruction breakpoint
    private readonly (uint Start, uint Length, bool WriteOnly)[] _drData = new (uint, uint, bool)[4];
    private int _drDataMask;                 // bit n: DRn is an armed data breakpoint
    private readonly (uint Port, uint Length)[] _drIo = new (uint, uint)[4];
    private int _drIoMask;                   // bit n: DRn is an armed I/O breakpoint (CR4.DE)

    /// <summary>MOV from DRn (DR4/DR5 read DR6/DR7).</summary>
    private uint ReadDr(int n)
    {
        CheckGeneralDetect();
        return Dr[Alias(n)];
    }

    /// <summary>MOV to DRn: DR6/DR7 keep their fixed bits; changes to DR0-DR3 or DR7 re-arm the breakpoints.</summary>
    private void WriteDr(int n, uint v)
    {
        CheckGeneralDetect();
        n = Alias(n);
        Dr[n] = n switch
        {
            6 => (v & 0xE00F) | 0xFFFF_0FF0,     // P6: bits 4-11 and 16-31 read as ones, bit 12 as zero
            7 => (v & 0xFFFF_23FF) | 0x400,      // bit 10 reads as one, bits 11, 12, 14, 15 as zero
            _ => v,
        };
        if (n != 6)
        {
            ArmBreakpoints();
        }
    }

    /// <summary>DR4 and DR5 are DR6 and DR7 unless CR4.DE is set, which makes them undefined (#UD).</summary>
    private int Alias(int n)
    {
        if (n is 4 or 5)
        {
            if ((Cr4 & ControlRegs.Cr4DE) != 0)
            {
                throw _fault.Set(ExceptionVectors.InvalidOpcode, -1);
            }
            return n + 2;
        }
        return n;
    }

    /// <summary>DR7.GD: any debug-register access faults with #DB (DR6.BD), and GD clears so the handler can use them.</summary>
    private void CheckGeneralDetect()
    {
        if ((Dr[7] & Dr7Gd) != 0)
        {
            Dr[7] &= ~Dr7Gd;
            Dr[6] |= Dr6Bd;
            throw _fault.Set(ExceptionVectors.Debug, -1);
        }
    }

    private void ArmBreakpoints()
    {
        uint dr7 = Dr[7];
        int exec = 0, data = 0, io = 0;
        for (int n = 0; n < 4; n++)
        {
            if (((dr7 >> (2 * n)) & 3) == 0)
            {
                continue; // neither L nor G
            }
            uint rw = (dr7 >> (16 + 4 * n)) & 3;
            uint length = ((dr7 >> (18 + 4 * n)) & 3) switch { 0 => 1u, 1 => 2u, _ => 4u }; // 10 (8 bytes) is 64-bit only
            if (rw == 0)
            {
                _drExec[n] = Dr[n];
                exec |= 1 << n;
            }
            else if (rw != 2)
            {
                _drData[n] = (Dr[n] & ~(length - 1), length, rw == 1);
                data |= 1 << n;
            }
            else if ((Cr4 & ControlRegs.Cr4DE) != 0)
            {
                _drIo[n] = (Dr[n] & 0xFFFF & ~(length - 1), length); // R/W = 10 is an I/O breakpoint only with CR4.DE
                io |= 1 << n;
            }
        }
        _drExecMask = exec;
        _drDataMask = data;
        _drIoMask = io;
        RebuildHooks();
        RebuildWatchPages();
    }

    /// <summary>Before the instruction at <paramref name="lin"/>: an armed instruction breakpoint there raises #DB (a fault), unless RF is set.</summary>
    private bool InstructionBreakpoint(uint lin)
    {
        if (_drExecMask == 0 || (FlagsOther & EFlags.RF) != 0)
        {
            return false;
        }
        uint hits = 0;
        for (int n = 0; n < 4; n++)
        {
            if ((_drExecMask & (1 << n)) != 0 && _drExec[n] == lin)
            {
                hits |= 1u << n;
            }
        }
        if (hits == 0)
        {
            return false;
        }
        Dr[6] = (Dr[6] & ~0xFu) | hits;
        DeliverException(ExceptionVectors.Debug, -1);
        return true;
    }

    /// <summary>Checks a data access against the armed data breakpoints (slow path only).</summary>
    private void CheckDataBreakpoints(uint lin, int size, bool write)
    {
        for (int n = 0; n < 4; n++)
        {
            if ((_drDataMask & (1 << n)) == 0)
            {
                continue;
            }
            var (start, length, writeOnly) = _drData[n];
            if (lin < start + length && start < lin + (uint)size && (write || !writeOnly))
            {
                DataBreakpointHits |= 1u << n;
                _exitBlock = true;
            }
        }
    }

    /// <summary>Checks an I/O access (IN, OUT, INS, OUTS) against the armed I/O breakpoints: a trap after the instruction.</summary>
    private void CheckIoBreakpoints(ushort port, int size)
    {
        for (int n = 0; n < 4; n++)
        {
            if ((_drIoMask & (1 << n)) != 0 && port < _drIo[n].Port + _drIo[n].Length && _drIo[n].Port < port + (uint)size)
            {
                DataBreakpointHits |= 1u << n;
                _exitBlock = true;
            }
        }
    }

    /// <summary>After an instruction: the #DB trap for the data breakpoints it hit and, when single-stepping, DR6.BS.</summary>
    private void DebugTrap(bool singleStep)
    {
        uint hits = DataBreakpointHits;
        DataBreakpointHits = 0;
        Dr[6] = (Dr[6] & ~0xFu) | hits | (singleStep ? Dr6Bs : 0);
        DeliverException(ExceptionVectors.Debug, -1);
    }
}
