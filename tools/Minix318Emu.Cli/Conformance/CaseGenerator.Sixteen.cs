using Iced.Intel;
using static Minix318Emu.Cli.Conformance.HarnessLayout;

namespace Minix318Emu.Cli.Conformance;

/// <summary>
/// The 16-bit families: <c>real16</c> (real mode), <c>pm16</c> (a 16-bit code segment at CPL 3)
/// and <c>vm86</c> (virtual-8086 mode). Each case is 16-bit code with and without the operand-
/// and address-size prefixes: integer instructions from the same opcode tables as the 32-bit
/// families, and templates for every far-pointer and stack-size decision — CALL/JMP FAR through
/// m16:16 and m16:32 and direct, RETF (imm16), IRET, LDS/LES/LFS/LGS/LSS, ENTER/LEAVE, PUSH/POP
/// of segment registers (POP SS between 16- and 32-bit stacks), PUSHA/POPA, string instructions,
/// near CALL/RET, PUSHF/POPF, XLAT, LOOP and JCXZ — on stacks that wrap at 64 KiB.
/// </summary>
public sealed partial class CaseGenerator
{
    /// <summary>The 16-bit families and their modes.</summary>
    private static readonly Dictionary<string, CaseMode> s_modes16 = new()
    {
        ["real16"] = CaseMode.Real,
        ["pm16"] = CaseMode.Protected16,
        ["vm86"] = CaseMode.Vm86,
    };

    /// <summary>The integer families a 16-bit case draws from.</summary>
    private static readonly string[] s_integer16 = { "alu", "shift", "muldiv", "bit", "bcd" };

    /// <summary>One case being assembled.</summary>
    private sealed class Case16(CaseMode mode)
    {
        public CaseMode Mode { get; } = mode;
        public List<Instruction> Body { get; } = new();
        public List<Instruction>? Landing { get; set; }
        public int LandingBitness { get; set; } = 16;
        public uint[] Regs { get; set; } = new uint[8];
        public uint Flags { get; set; }
        public ushort[] Segments { get; set; } = new ushort[5]; // ds es fs gs ss
        public KnownDeviation Deviation { get; set; }
        public uint Undefined { get; set; }
        public bool Real => Mode != CaseMode.Protected16;
    }

    // How the case's memory operands address the data: one scheme per case, so the filler never
    // writes the registers it uses (see Gpr). 32-bit schemes need the 0x67 prefix in 16-bit code.
    private static readonly Register[][] s_schemes16 =
    {
        new[] { Register.BX }, new[] { Register.SI }, new[] { Register.DI }, new[] { Register.BX, Register.SI }, new[] { Register.BX, Register.DI },
        new[] { Register.EBX }, new[] { Register.ESI }, new[] { Register.EDI },
    };

    private Register[] _scheme = Array.Empty<Register>();
    private bool _sixteen;

    /// <summary>Picks the case's addressing scheme; the registers are set by <see cref="SetSchemeRegisters"/>.</summary>
    private void ChooseScheme16(int offset)
    {
        _scheme = s_schemes16[_rng.Next(s_schemes16.Length)];
        _base = _scheme[0].GetFullRegister32();
        _base2 = _scheme.Length > 1 ? _scheme[1].GetFullRegister32() : Register.None;
        _baseOffset = offset;
    }

    private bool Scheme32 => _scheme.Length == 1 && _scheme[0].GetSize() == 4;

    /// <summary>The scheme's registers hold the data offset (split between two for BX+SI/BX+DI); a 16-bit scheme's upper halves are random, which it must ignore.</summary>
    private void SetSchemeRegisters(uint[] regs)
    {
        if (Scheme32)
        {
            regs[_base - Register.EAX] = (uint)_baseOffset;
            return;
        }
        uint first = _scheme.Length > 1 ? (uint)_rng.Next(0, _baseOffset + 1) : (uint)_baseOffset;
        regs[_base - Register.EAX] = ((uint)_rng.Next(0x10000) << 16) | first;
        if (_scheme.Length > 1)
        {
            regs[_base2 - Register.EAX] = ((uint)_rng.Next(0x10000) << 16) | (uint)(_baseOffset - (int)first);
        }
    }

    /// <summary>A memory operand at data offset <paramref name="offset"/> through the case's scheme.</summary>
    private MemoryOperand DataAt(int offset)
    {
        int disp = offset - _baseOffset;
        int dispSize = disp == 0 ? 0 : disp is >= -128 and <= 127 ? 1 : Scheme32 ? 4 : 2;
        Register index = _scheme.Length > 1 ? _scheme[1] : Register.None;
        return new MemoryOperand(_scheme[0], index, 1, disp, dispSize);
    }

    private ConformanceCase SixteenBitCase(string family)
    {
        var c = new Case16(s_modes16[family]);
        for (int i = 0; i < 8; i++)
        {
            c.Regs[i] = RandomValue();
        }
        c.Flags = RandomFlags(withDf: true);
        if (c.Mode == CaseMode.Vm86)
        {
            c.Flags |= 0x2_0000 | (_rng.Next(4) == 0 ? 0u : 0x3000u); // VM; IOPL 3 mostly (the IOPL-sensitive instructions run), sometimes 0
        }
        else if (c.Mode == CaseMode.Protected16)
        {
            c.Flags |= _rng.Next(2) == 0 ? 0u : 0x3000u;
        }
        ushort data = c.Real ? DataSegment16 : (ushort)(Ds16 | 3);
        c.Segments = new[] { data, data, data, data, c.Real ? StackSegment16 : (ushort)(Ss16 | 3) };
        SetStackPointer(c, wrapping: false, alignment: 2);
        ChooseScheme16(_rng.Next(0, 33));
        _sixteen = true;
        try
        {
            switch (_rng.Next(20))
            {
                case 0: case 1: case 2: case 3: case 4: IntegerMix(c); break;
                case 5: case 6: FarThroughMemory(c); break;
                case 7: FarDirect(c); break;
                case 8: case 9: FarReturn(c); break;
                case 10: InterruptReturn(c); break;
                case 11: case 12: LoadFarPointer(c); break;
                case 13: EnterLeave(c); break;
                case 14: case 15: SegmentPushPop(c); break;
                case 16: PushAllPopAll(c); break;
                case 17: Strings16(c); break;
                default: NearFlow(c); break;
            }
        }
        finally
        {
            _sixteen = false;
            _base2 = Register.None;
        }
        return Assemble16(family, c);
    }

    /// <summary>
    /// SP: inside the stack's first page, or (for templates whose stack accesses all have one size)
    /// at the 64 KiB wrap; the upper half of ESP is random (a 16-bit stack leaves it alone).
    /// </summary>
    private void SetStackPointer(Case16 c, bool wrapping, int alignment)
    {
        uint sp = (uint)(0x0800 + 4 * _rng.Next(0, 0x180));
        if (wrapping && _rng.Next(3) == 0)
        {
            // Pushes below the wrap, pops back up to 0: no frame straddles it (QEMU's real-mode RETF reads the selector
            // past offset FFFF instead of wrapping, a departure the cases stay clear of).
            sp = alignment == 4 ? new uint[] { 0x0000, 0xFFFC, 0xFFF8 }[_rng.Next(3)] : new uint[] { 0x0000, 0xFFFE, 0xFFFC }[_rng.Next(3)];
        }
        c.Regs[4] = ((uint)_rng.Next(0x10000) << 16) | sp;
    }

    private static int OperandBytes(bool o32) => o32 ? 4 : 2;

    private static Instruction PushImm(bool o32, uint v) => o32 ? Instruction.Create(Code.Pushd_imm32, v) : Instruction.Create(Code.Push_imm16, v & 0xFFFF);

    private static Instruction PopReg(bool o32, Register r32) => o32 ? Instruction.Create(Code.Pop_r32, r32) : Instruction.Create(Code.Pop_r16, r32 - Register.EAX + Register.AX);

    private static Instruction Marker(int bitness) => bitness == 32
        ? Instruction.Create(Code.Mov_r32_imm32, Register.EDI, 0x600Du)
        : Instruction.Create(Code.Mov_r16_imm16, Register.DI, 0x600Du);

    /// <summary>The landing pad: pops the return address a far CALL pushed (so its width and value are compared), then marks EDI.</summary>
    private static List<Instruction> LandingCode(int bitness, int poppedBytes)
    {
        var l = new List<Instruction>();
        if (poppedBytes > 0)
        {
            bool o32 = poppedBytes == 4;
            l.Add(PopReg(o32, Register.EAX));
            l.Add(PopReg(o32, Register.EDX));
        }
        l.Add(Marker(bitness));
        return l;
    }

    /// <summary>A far target: selector, offset, the landing pad's code size, and the size of the return address a CALL to it pushes (0 for the operand size).</summary>
    private (ushort Sel, uint Offset, int Bitness, int GateSize) FarTarget(Case16 c, bool returnTarget)
    {
        if (c.Real)
        {
            // The landing pad through three segment values that alias it.
            return _rng.Next(3) switch
            {
                0 => (CodeSegment16, Landing16, 16, 0),
                1 => ((ushort)(CodeSegment16 + 0x10), 0u, 16, 0),
                _ => ((ushort)(CodeSegment16 - 0x10), Landing16 + 0x100u, 16, 0),
            };
        }
        int k = _rng.Next(returnTarget ? 8 : 12);
        return k switch
        {
            0 or 1 => ((ushort)(Cs16 | 3), Landing16, 16, 0),
            2 => ((ushort)(Cs32 | 3), Landing16, 32, 0),
            3 => ((ushort)(Cs16Conforming | 3), Landing16, 16, 0),
            4 => ((ushort)Cs16, Landing16, 16, 0),                                     // RPL 0: a transfer keeps CPL 3, a return is #GP
            // At the limit (an INT3 there traps with EIP 10000), or beyond it for JMP/CALL (a 16-bit operand truncates it).
            // Returns stay within it: QEMU's same-level RETF/IRET do not check the limit (README, "Conformance").
            5 => ((ushort)(Cs16 | 3), !returnTarget && _rng.Next(2) == 0 ? 0x1_0100u : 0xFFFFu, 16, 0),
            6 => (new ushort[] { 0, Ds16 | 3, Code0, FirstBeyond16 | 3, Ds16NotPresent | 3, Gate16 | 3 }[_rng.Next(6)], Landing16, 16, 0),
            7 => ((ushort)(Cs32 | 3), Landing16, 32, 0),
            8 or 9 => ((ushort)(Gate16 | 3), (uint)_rng.Next(0x10000), 16, 2),
            _ => ((ushort)(Gate32 | 3), (uint)_rng.Next(0x10000), 32, 4),
        };
    }

    /// <summary>A 32-bit offset beyond the 64 KiB limit: #GP(0) per the SDM, #GP(selector) from QEMU.</summary>
    private static void TagFarLimit(Case16 c, bool o32, uint offset)
    {
        if (o32 && offset > 0xFFFF && !c.Real)
        {
            c.Deviation |= KnownDeviation.FarLimitErrorCode;
        }
    }

    // ---- templates -------------------------------------------------------------------------

    /// <summary>One to three integer instructions, both operand sizes, the case's addressing scheme.</summary>
    private void IntegerMix(Case16 c)
    {
        string family = s_integer16[_rng.Next(s_integer16.Length)];
        Code[] codes = s_codes[family];
        bool single = family is "shift" or "bit";
        if (single)
        {
            ChooseScheme16(16);
        }
        int n = single ? 1 : _rng.Next(1, 4);
        for (int i = 0; i < n; i++)
        {
            Instruction ins = Make(codes[_rng.Next(codes.Length)]);
            c.Body.Add(ins);
            c.Undefined |= FixUpForDefinedResult(ins, c.Regs);
        }
        SetSchemeRegisters(c.Regs);
    }

    /// <summary>The body writes a far pointer into the data (offset, then selector), then CALLs or JMPs through it.</summary>
    private void FarThroughMemory(Case16 c)
    {
        bool o32 = _rng.Next(2) == 0, call = _rng.Next(2) == 0;
        var (sel, off, bits, gate) = FarTarget(c, returnTarget: false);
        int at = _rng.Next(0, HarnessLayout.DataBytes - 6 + 1);
        c.Body.Add(o32 ? Instruction.Create(Code.Mov_rm32_imm32, DataAt(at), off) : Instruction.Create(Code.Mov_rm16_imm16, DataAt(at), off & 0xFFFF));
        c.Body.Add(Instruction.Create(Code.Mov_rm16_imm16, DataAt(at + OperandBytes(o32)), (uint)sel));
        Code code = call ? (o32 ? Code.Call_m1632 : Code.Call_m1616) : (o32 ? Code.Jmp_m1632 : Code.Jmp_m1616);
        c.Body.Add(Instruction.Create(code, DataAt(at)));
        TagFarLimit(c, o32, off);
        c.Landing = LandingCode(bits, call ? (gate != 0 ? gate : OperandBytes(o32)) : 0);
        c.LandingBitness = bits;
        SetSchemeRegisters(c.Regs);
    }

    private void FarDirect(Case16 c)
    {
        bool o32 = _rng.Next(2) == 0, call = _rng.Next(2) == 0;
        var (sel, off, bits, gate) = FarTarget(c, returnTarget: false);
        Code code = call ? (o32 ? Code.Call_ptr1632 : Code.Call_ptr1616) : (o32 ? Code.Jmp_ptr1632 : Code.Jmp_ptr1616);
        c.Body.Add(Instruction.CreateBranch(code, sel, o32 ? off : off & 0xFFFF));
        TagFarLimit(c, o32, off);
        c.Landing = LandingCode(bits, call ? (gate != 0 ? gate : OperandBytes(o32)) : 0);
        c.LandingBitness = bits;
    }

    /// <summary>RETF and RETF imm16 to a frame the body pushes (CS, then the offset), at the operand size.</summary>
    private void FarReturn(Case16 c)
    {
        bool o32 = _rng.Next(2) == 0;
        SetStackPointer(c, wrapping: true, alignment: OperandBytes(o32));
        var (sel, off, bits, _) = FarTarget(c, returnTarget: true);
        uint imm = (uint)(OperandBytes(o32) * _rng.Next(0, 3));
        c.Body.Add(PushImm(o32, sel));
        c.Body.Add(PushImm(o32, off));
        c.Body.Add(imm == 0
            ? Instruction.Create(o32 ? Code.Retfd : Code.Retfw)
            : Instruction.Create(o32 ? Code.Retfd_imm16 : Code.Retfw_imm16, imm));
        c.Landing = LandingCode(bits, 0);
        c.LandingBitness = bits;
    }

    /// <summary>IRET to a frame the body pushes (FLAGS, CS, IP); IF and TF stay clear in the image, VM is there sometimes (ignored below CPL 0).</summary>
    private void InterruptReturn(Case16 c)
    {
        bool o32 = _rng.Next(2) == 0;
        SetStackPointer(c, wrapping: true, alignment: OperandBytes(o32));
        var (sel, off, bits, _) = FarTarget(c, returnTarget: true);
        uint image = RandomFlags(withDf: true) | (uint)(_rng.Next(4) << 12);
        if (o32 && _rng.Next(3) == 0)
        {
            // AC. Not VM: an IRET below CPL 0 ignores it (SDM), where QEMU returns to virtual-8086 mode (README, "Conformance").
            image |= 0x4_0000u;
        }
        c.Body.Add(PushImm(o32, image));
        c.Body.Add(PushImm(o32, sel));
        c.Body.Add(PushImm(o32, off));
        c.Body.Add(Instruction.Create(o32 ? Code.Iretd : Code.Iretw));
        c.Landing = LandingCode(bits, 0);
        c.LandingBitness = bits;
    }

    private static readonly Register[] s_loadableSegments = { Register.DS, Register.ES, Register.FS, Register.GS };

    /// <summary>LDS/LES/LFS/LGS/LSS from a pointer the body writes, then an access through the loaded segment.</summary>
    private void LoadFarPointer(Case16 c)
    {
        bool o32 = _rng.Next(2) == 0;
        bool stack = _rng.Next(4) == 0;
        Register sreg = stack ? Register.SS : s_loadableSegments[_rng.Next(s_loadableSegments.Length)];
        Register dst = stack ? Register.ESP : Gpr(4);
        int k = _rng.Next(0, HarnessLayout.DataBytes - 4 + 1); // the data byte a DS-like load's access reads
        ushort sel;
        uint offset;
        if (c.Real)
        {
            if (stack)
            {
                sel = new[] { StackSegment16, (ushort)(StackSegment16 + 0x10), (ushort)(StackSegment16 - 0x10) }[_rng.Next(3)];
                offset = (uint)(0x0800 + 4 * _rng.Next(0x100));
            }
            else
            {
                sel = (ushort)(DataSegment16 - _rng.Next(0, 0x21)); // at or below the data, so an offset reaches it
                offset = (uint)_rng.Next(0x10000);
            }
        }
        else
        {
            ushort[] choices = stack
                ? new ushort[] { Ss16 | 3, Ss16 | 3, Ss32 | 3, Ds16 | 3, Ds16ReadOnly | 3, 0, Ds16Dpl0 | 3, Cs16 | 3, Ss16 }
                : new ushort[] { Ds16 | 3, Ds16 | 3, Ss16 | 3, Ds16ReadOnly | 3, Ds16Dpl0 | 3, Ds16NotPresent | 3, Cs16 | 3, Cs32 | 3, 0, Code0, FirstBeyond16 | 3, Gate16 | 3 };
            sel = choices[_rng.Next(choices.Length)];
            offset = stack ? (uint)(0x0800 + 4 * _rng.Next(0x100)) : (uint)_rng.Next(0x10000);
            c.Deviation = KnownDeviation.SegmentChecks; // null, read-only and code segments: QEMU performs the access
        }
        if (stack && !o32)
        {
            c.Regs[4] &= 0xFFFF; // LSS SP keeps ESP's upper half, which a B=1 stack then uses: keep it zero
        }
        int at = _rng.Next(0, HarnessLayout.DataBytes - 6 + 1);
        c.Body.Add(o32 ? Instruction.Create(Code.Mov_rm32_imm32, DataAt(at), offset) : Instruction.Create(Code.Mov_rm16_imm16, DataAt(at), offset & 0xFFFF));
        c.Body.Add(Instruction.Create(Code.Mov_rm16_imm16, DataAt(at + OperandBytes(o32)), (uint)sel));
        Code load = (sreg, o32) switch
        {
            (Register.DS, false) => Code.Lds_r16_m1616,
            (Register.DS, true) => Code.Lds_r32_m1632,
            (Register.ES, false) => Code.Les_r16_m1616,
            (Register.ES, true) => Code.Les_r32_m1632,
            (Register.FS, false) => Code.Lfs_r16_m1616,
            (Register.FS, true) => Code.Lfs_r32_m1632,
            (Register.GS, false) => Code.Lgs_r16_m1616,
            (Register.GS, true) => Code.Lgs_r32_m1632,
            (_, false) => Code.Lss_r16_m1616,
            _ => Code.Lss_r32_m1632,
        };
        Register target = o32 ? dst : dst - Register.EAX + Register.AX;
        c.Body.Add(Instruction.Create(load, target, DataAt(at)));
        if (stack)
        {
            // A push and a pop through the new SS:SP show where it points.
            c.Body.Add(PushImm(o32, (uint)_rng.Next(0x10000)));
            c.Body.Add(PopReg(o32, Register.ECX));
        }
        else
        {
            // A read through the new segment at an offset that lands on data byte k in real mode.
            long disp = c.Real ? (long)DataSegment16 * 16 + k - (long)sel * 16 : k;
            var m = new MemoryOperand(Register.None, disp & 0xFFFF, 2, false, sreg);
            c.Body.Add(Instruction.Create(Code.Mov_r16_rm16, Register.CX, m));
        }
        SetSchemeRegisters(c.Regs);
    }

    /// <summary>ENTER (levels 0-3, both operand sizes) over frame pointers the body pushed, pops that show the frame, sometimes LEAVE.</summary>
    private void EnterLeave(Case16 c)
    {
        bool o32 = _rng.Next(2) == 0;
        int size = OperandBytes(o32);
        // A 32-bit ENTER does not start at the wrap: QEMU computes FrameTemp as ESP-4 without wrapping SP (README, "Conformance").
        SetStackPointer(c, wrapping: !o32, alignment: size);
        int pushes = _rng.Next(0, 4);
        for (int i = 0; i < pushes; i++)
        {
            c.Body.Add(PushImm(o32, RandomValue()));
        }
        // EBP points at the pushed values (the outer frame pointers ENTER copies); for a 32-bit ENTER its upper half
        // is ESP's, so QEMU builds that wrote only BP on a 16-bit stack (QEMU issue 2198) agree with the SDM's EBP = FrameTemp.
        uint sp = c.Regs[4] & 0xFFFF;
        uint bp = (sp - (uint)(size * pushes) + (uint)(size * _rng.Next(0, pushes + 1))) & 0xFFFF;
        c.Regs[5] = o32 ? (c.Regs[4] & 0xFFFF_0000) | bp : (c.Regs[5] & 0xFFFF_0000) | bp;
        uint frame = (uint)(2 * _rng.Next(0, 9));
        uint level = (uint)_rng.Next(0, 4);
        c.Body.Add(Instruction.Create(o32 ? Code.Enterd_imm16_imm8 : Code.Enterw_imm16_imm8, frame, level));
        if (_rng.Next(2) == 0)
        {
            c.Body.Add(Instruction.Create(o32 ? Code.Leaved : Code.Leavew));
        }
        c.Body.Add(PopReg(o32, Register.EAX));
        c.Body.Add(PopReg(o32, Register.EDX));
    }

    /// <summary>PUSH and POP of segment registers at both operand sizes; POP SS between 16- and 32-bit stack segments, at the 64 KiB wrap.</summary>
    private void SegmentPushPop(Case16 c)
    {
        bool o32 = _rng.Next(2) == 0;
        SetStackPointer(c, wrapping: true, alignment: OperandBytes(o32));
        if (c.Mode == CaseMode.Protected16 && _rng.Next(2) == 0)
        {
            // POP SS between the B=0 and B=1 stacks (same base): SP or ESP steps by the stack the selector came from.
            // From B=0 at SP 0 the pop wraps SP to 0; from B=1 (entered by LSS with ESP = 10000) ESP goes back to 10000.
            c.Regs[4] &= 0xFFFF;
            bool fromBig = _rng.Next(2) == 0;
            if (fromBig)
            {
                int at = _rng.Next(0, HarnessLayout.DataBytes - 6 + 1);
                c.Body.Add(Instruction.Create(Code.Mov_rm32_imm32, DataAt(at), 0x1_0000u));
                c.Body.Add(Instruction.Create(Code.Mov_rm16_imm16, DataAt(at + 4), Ss32 | 3u));
                c.Body.Add(Instruction.Create(Code.Lss_r32_m1632, Register.ESP, DataAt(at)));
                SetSchemeRegisters(c.Regs);
            }
            c.Body.Add(PushImm(o32, fromBig ? Ss16 | 3u : Ss32 | 3u));
            c.Body.Add(Instruction.Create(o32 ? Code.Popd_SS : Code.Popw_SS, Register.SS));
            return;
        }
        Register[] pushable = { Register.ES, Register.CS, Register.SS, Register.DS, Register.FS, Register.GS };
        int n = _rng.Next(1, 4);
        for (int i = 0; i < n; i++)
        {
            Register s = pushable[_rng.Next(pushable.Length)];
            c.Body.Add(Instruction.Create(PushSegment(s, o32), s));
            switch (_rng.Next(3))
            {
                case 0:
                    c.Body.Add(PopReg(o32, new[] { Register.EAX, Register.ECX, Register.EDX }[_rng.Next(3)]));
                    break;
                case 1:
                    // Back into a data segment register: any value in real and virtual-8086 mode, and
                    // the selectors CS (readable code), SS and DS hold are loadable into DS at CPL 3.
                    Register d = s_loadableSegments[_rng.Next(s_loadableSegments.Length)];
                    c.Body.Add(Instruction.Create(PopSegment(d, o32), d));
                    break;
                default:
                    // SS gets its own value back; anything else goes to a register.
                    c.Body.Add(s == Register.SS ? Instruction.Create(PopSegment(Register.SS, o32), Register.SS) : PopReg(o32, Register.EBP));
                    break;
            }
        }
    }

    private static Code PushSegment(Register s, bool o32) => (s, o32) switch
    {
        (Register.ES, false) => Code.Pushw_ES,
        (Register.ES, true) => Code.Pushd_ES,
        (Register.CS, false) => Code.Pushw_CS,
        (Register.CS, true) => Code.Pushd_CS,
        (Register.SS, false) => Code.Pushw_SS,
        (Register.SS, true) => Code.Pushd_SS,
        (Register.DS, false) => Code.Pushw_DS,
        (Register.DS, true) => Code.Pushd_DS,
        (Register.FS, false) => Code.Pushw_FS,
        (Register.FS, true) => Code.Pushd_FS,
        (Register.GS, false) => Code.Pushw_GS,
        _ => Code.Pushd_GS,
    };

    private static Code PopSegment(Register s, bool o32) => (s, o32) switch
    {
        (Register.ES, false) => Code.Popw_ES,
        (Register.ES, true) => Code.Popd_ES,
        (Register.SS, false) => Code.Popw_SS,
        (Register.SS, true) => Code.Popd_SS,
        (Register.DS, false) => Code.Popw_DS,
        (Register.DS, true) => Code.Popd_DS,
        (Register.FS, false) => Code.Popw_FS,
        (Register.FS, true) => Code.Popd_FS,
        (Register.GS, false) => Code.Popw_GS,
        _ => Code.Popd_GS,
    };

    /// <summary>PUSHA then pops, or pushes then POPA, at one operand size (the stack may wrap).</summary>
    private void PushAllPopAll(Case16 c)
    {
        bool o32 = _rng.Next(2) == 0;
        SetStackPointer(c, wrapping: true, alignment: OperandBytes(o32));
        if (_rng.Next(2) == 0)
        {
            c.Body.Add(Instruction.Create(o32 ? Code.Pushad : Code.Pushaw));
            c.Body.Add(PopReg(o32, Register.EAX));
            c.Body.Add(PopReg(o32, Register.ECX));
            c.Body.Add(PopReg(o32, Register.EDX));
        }
        else
        {
            for (int i = 0; i < 8; i++)
            {
                c.Body.Add(PushImm(o32, RandomValue()));
            }
            c.Body.Add(Instruction.Create(o32 ? Code.Popad : Code.Popaw));
        }
    }

    private static readonly Code[] s_string16 =
    {
        Code.Movsb_m8_m8, Code.Movsw_m16_m16, Code.Movsd_m32_m32, Code.Cmpsb_m8_m8, Code.Cmpsw_m16_m16, Code.Cmpsd_m32_m32,
        Code.Scasb_AL_m8, Code.Scasw_AX_m16, Code.Scasd_EAX_m32, Code.Lodsb_AL_m8, Code.Lodsw_AX_m16, Code.Lodsd_EAX_m32,
        Code.Stosb_m8_AL, Code.Stosw_m16_AX, Code.Stosd_m32_EAX,
    };

    /// <summary>A string instruction with a 16- or 32-bit address size (SI/DI/CX or ESI/EDI/ECX), either operand size, REP and DF at random.</summary>
    private void Strings16(Case16 c)
    {
        bool a32 = _rng.Next(2) == 0;
        bool down = (c.Flags & 0x400) != 0;
        Code code = s_string16[_rng.Next(s_string16.Length)];
        int rep = _rng.Next(3);
        uint start = down ? 40u : 0u;
        uint Upper() => a32 ? 0u : (uint)_rng.Next(0x10000) << 16; // a 16-bit address size ignores them
        c.Regs[6] = Upper() | (start + (uint)_rng.Next(0, 8));
        c.Regs[7] = Upper() | (start + (uint)_rng.Next(0, 8));
        uint count = (uint)_rng.Next(0, 6);
        c.Regs[1] = a32 ? count : ((uint)_rng.Next(0x10000) << 16) | count;
        Mnemonic mn = code.Mnemonic();
        bool compare = mn is Mnemonic.Cmpsb or Mnemonic.Cmpsw or Mnemonic.Cmpsd or Mnemonic.Scasb or Mnemonic.Scasw or Mnemonic.Scasd;
        RepPrefixKind prefix = rep == 0 ? RepPrefixKind.None : rep == 2 && compare ? RepPrefixKind.Repne : RepPrefixKind.Repe;
        int asz = a32 ? 32 : 16;
        Register seg = _rng.Next(3) == 0 ? new[] { Register.ES, Register.FS, Register.GS }[_rng.Next(3)] : Register.None;
        c.Body.Add(mn switch
        {
            Mnemonic.Movsb => Instruction.CreateMovsb(asz, seg, prefix),
            Mnemonic.Movsw => Instruction.CreateMovsw(asz, seg, prefix),
            Mnemonic.Movsd => Instruction.CreateMovsd(asz, seg, prefix),
            Mnemonic.Cmpsb => Instruction.CreateCmpsb(asz, seg, prefix),
            Mnemonic.Cmpsw => Instruction.CreateCmpsw(asz, seg, prefix),
            Mnemonic.Cmpsd => Instruction.CreateCmpsd(asz, seg, prefix),
            Mnemonic.Scasb => Instruction.CreateScasb(asz, prefix),
            Mnemonic.Scasw => Instruction.CreateScasw(asz, prefix),
            Mnemonic.Scasd => Instruction.CreateScasd(asz, prefix),
            Mnemonic.Lodsb => Instruction.CreateLodsb(asz, seg, prefix),
            Mnemonic.Lodsw => Instruction.CreateLodsw(asz, seg, prefix),
            Mnemonic.Lodsd => Instruction.CreateLodsd(asz, seg, prefix),
            Mnemonic.Stosb => Instruction.CreateStosb(asz, prefix),
            Mnemonic.Stosw => Instruction.CreateStosw(asz, prefix),
            _ => Instruction.CreateStosd(asz, prefix),
        });
    }

    /// <summary>Near RET to the landing pad, CALL rel with the pop of its return address, PUSHF/POPF, XLAT, LOOP and JCXZ with both address sizes, INT n.</summary>
    private void NearFlow(Case16 c)
    {
        bool o32 = _rng.Next(2) == 0;
        int size = OperandBytes(o32);
        switch (_rng.Next(6))
        {
            case 0:
            {
                SetStackPointer(c, wrapping: true, alignment: size);
                uint imm = (uint)(size * _rng.Next(0, 3));
                c.Body.Add(PushImm(o32, Landing16));
                c.Body.Add(imm == 0 ? Instruction.Create(o32 ? Code.Retnd : Code.Retnw) : Instruction.Create(o32 ? Code.Retnd_imm16 : Code.Retnw_imm16, imm));
                c.Landing = LandingCode(16, 0);
                break;
            }
            case 1:
                // CALL to the next instruction (the target is patched once the length is known), then POP of the return address.
                c.Body.Add(Instruction.CreateBranch(o32 ? Code.Call_rel32_32 : Code.Call_rel16, 0));
                c.Body.Add(PopReg(o32, Register.EAX));
                break;
            case 2:
                // PUSHF/POPF (IOPL-sensitive in virtual-8086 mode); the image has IF and TF clear.
                c.Body.Add(PushImm(o32, RandomFlags(withDf: true) | (uint)(_rng.Next(4) << 12) | (o32 && _rng.Next(3) == 0 ? 0x4_0000u : 0)));
                c.Body.Add(Instruction.Create(o32 ? Code.Popfd : Code.Popfw));
                c.Body.Add(Instruction.Create(o32 ? Code.Pushfd : Code.Pushfw));
                c.Body.Add(PopReg(o32, Register.EDX));
                break;
            case 3:
            {
                // XLAT: [BX + AL] or [EBX + AL] in the data.
                bool a32 = _rng.Next(2) == 0;
                uint bx = (uint)_rng.Next(0, 32);
                c.Regs[3] = a32 ? bx : ((uint)_rng.Next(0x10000) << 16) | bx;
                c.Regs[0] = (c.Regs[0] & 0xFFFF_FF00) | (uint)_rng.Next(0, 32);
                c.Body.Add(Instruction.Create(Code.Xlat_m8, new MemoryOperand(a32 ? Register.EBX : Register.BX, Register.AL)));
                break;
            }
            case 4:
            {
                // LOOP/LOOPE/LOOPNE/JCXZ/JECXZ: CX or ECX by the address size (the counter's other half is random).
                bool a32 = _rng.Next(2) == 0;
                c.Regs[1] = _rng.Next(3) switch { 0 => c.Regs[1] & 0xFFFF_0000, 1 => (c.Regs[1] & 0xFFFF_0000) | 1, _ => c.Regs[1] };
                Code[] loops = a32
                    ? new[] { Code.Loop_rel8_16_ECX, Code.Loope_rel8_16_ECX, Code.Loopne_rel8_16_ECX, Code.Jecxz_rel8_16 }
                    : new[] { Code.Loop_rel8_16_CX, Code.Loope_rel8_16_CX, Code.Loopne_rel8_16_CX, Code.Jcxz_rel8_16 };
                c.Body.Add(Instruction.CreateBranch(loops[_rng.Next(loops.Length)], 0));
                c.Body.Add(Instruction.Create(Code.Mov_r16_imm16, Register.SI, 0x1111u)); // skipped when the branch is taken
                break;
            }
            default:
                c.Body.Add(_rng.Next(3) == 0 ? Instruction.Create(Code.Int3) : Instruction.Create(Code.Int_imm8, (uint)_rng.Next(0x20, 0x100)));
                break;
        }
    }

    // ---- assembling ---------------------------------------------------------------------------

    /// <summary>Encodes the body at CS:0 (after the protected-mode prologue that loads ESP), the far jump to the end, and the landing pad at <see cref="Landing16"/>.</summary>
    private ConformanceCase Assemble16(string family, Case16 c)
    {
        var body = new List<Instruction>();
        if (c.Mode == CaseMode.Protected16)
        {
            body.Add(Instruction.Create(Code.Mov_r32_imm32, Register.ESP, c.Regs[4])); // an IRET to a 16-bit stack sets only SP
        }
        body.AddRange(c.Body);
        ushort doneCs = c.Real ? CodeSegment16 : (ushort)(Cs16 | 3);
        var writer = new CodeBytes();
        var encoder = Encoder.Create(16, writer);
        var text = new System.Text.StringBuilder();
        var formatter = new IntelFormatter();
        var output = new StringOutput();
        uint undefined = c.Undefined;
        ulong ip = 0;
        foreach (Instruction ins in body)
        {
            var i = ins;
            if (i.Op0Kind == OpKind.NearBranch16 || i.Op0Kind == OpKind.NearBranch32)
            {
                // Branches of the near-flow template aim at the next instruction: find its address by encoding once.
                int len0 = (int)Encoder.Create(16, new CodeBytes()).Encode(i, ip);
                if (i.Op0Kind == OpKind.NearBranch16)
                {
                    i.NearBranch16 = (ushort)(ip + (ulong)len0);
                }
                else
                {
                    i.NearBranch32 = (uint)(ip + (ulong)len0);
                }
            }
            int len = (int)encoder.Encode(i, ip);
            i.IP = ip;
            i.CodeSize = CodeSize.Code16; // so the text says pushd/popd/retfd where the operand size is not the default
            ip += (ulong)len;
            formatter.Format(i, output);
            if (text.Length > 0)
            {
                text.Append("; ");
            }
            text.Append(output.ToStringAndReset());
            undefined |= ToEflags(i.RflagsUndefined);
        }
        ip += encoder.Encode(Instruction.CreateBranch(Code.Jmp_ptr1616, doneCs, DoneOffset), ip);
        if (c.Landing is not null)
        {
            while (writer.Bytes.Count < Landing16)
            {
                writer.WriteByte(0xCC);
            }
            var landing = Encoder.Create(c.LandingBitness, writer);
            ip = Landing16;
            text.Append(" | landing:");
            foreach (Instruction ins in c.Landing)
            {
                var i = ins;
                ip += landing.Encode(i, ip);
                i.CodeSize = c.LandingBitness == 32 ? CodeSize.Code32 : CodeSize.Code16;
                formatter.Format(i, output);
                text.Append(' ').Append(output.ToStringAndReset()).Append(';');
            }
            landing.Encode(Instruction.CreateBranch(c.LandingBitness == 32 ? Code.Jmp_ptr1632 : Code.Jmp_ptr1616, doneCs, DoneOffset), ip);
        }
        if (writer.Bytes.Count > MaxCode)
        {
            throw new InvalidOperationException($"generated case of {writer.Bytes.Count} bytes exceeds {MaxCode}");
        }
        return new ConformanceCase
        {
            Family = family,
            Text = $"[{c.Mode}] {text}",
            Registers = c.Regs,
            Eflags = c.Flags,
            Data = RandomData(),
            Code = writer.Bytes.ToArray(),
            UndefinedFlags = undefined,
            Deviation = c.Deviation,
            Mode = c.Mode,
            Segments = c.Segments,
        };
    }
}
