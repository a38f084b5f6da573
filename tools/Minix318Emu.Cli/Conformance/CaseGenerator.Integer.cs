using Iced.Intel;

namespace Minix318Emu.Cli.Conformance;

/// <summary>The integer families: every Pentium-class legacy form of their mnemonics, operands filled at random.</summary>
public sealed partial class CaseGenerator
{
    private static readonly Dictionary<string, Mnemonic[]> s_mnemonics = new()
    {
        ["alu"] = new[] { Mnemonic.Add, Mnemonic.Or, Mnemonic.Adc, Mnemonic.Sbb, Mnemonic.And, Mnemonic.Sub, Mnemonic.Xor, Mnemonic.Cmp, Mnemonic.Test, Mnemonic.Inc, Mnemonic.Dec, Mnemonic.Neg, Mnemonic.Not },
        ["shift"] = new[] { Mnemonic.Shl, Mnemonic.Sal, Mnemonic.Shr, Mnemonic.Sar, Mnemonic.Rol, Mnemonic.Ror, Mnemonic.Rcl, Mnemonic.Rcr, Mnemonic.Shld, Mnemonic.Shrd },
        ["muldiv"] = new[] { Mnemonic.Mul, Mnemonic.Imul, Mnemonic.Div, Mnemonic.Idiv },
        ["bcd"] = new[] { Mnemonic.Daa, Mnemonic.Das, Mnemonic.Aaa, Mnemonic.Aas, Mnemonic.Aam, Mnemonic.Aad },
        ["bit"] = new[]
        {
            Mnemonic.Bt, Mnemonic.Bts, Mnemonic.Btr, Mnemonic.Btc, Mnemonic.Bsf, Mnemonic.Bsr, Mnemonic.Bswap, Mnemonic.Xadd, Mnemonic.Cmpxchg,
            Mnemonic.Cmpxchg8b, Mnemonic.Xchg, Mnemonic.Cbw, Mnemonic.Cwde, Mnemonic.Cwd, Mnemonic.Cdq, Mnemonic.Movzx, Mnemonic.Movsx, Mnemonic.Lea,
            Mnemonic.Cmc, Mnemonic.Clc, Mnemonic.Stc, Mnemonic.Sahf, Mnemonic.Lahf,
            Mnemonic.Seto, Mnemonic.Setno, Mnemonic.Setb, Mnemonic.Setae, Mnemonic.Sete, Mnemonic.Setne, Mnemonic.Setbe, Mnemonic.Seta,
            Mnemonic.Sets, Mnemonic.Setns, Mnemonic.Setp, Mnemonic.Setnp, Mnemonic.Setl, Mnemonic.Setge, Mnemonic.Setle, Mnemonic.Setg,
            Mnemonic.Cmovo, Mnemonic.Cmovno, Mnemonic.Cmovb, Mnemonic.Cmovae, Mnemonic.Cmove, Mnemonic.Cmovne, Mnemonic.Cmovbe, Mnemonic.Cmova,
            Mnemonic.Cmovs, Mnemonic.Cmovns, Mnemonic.Cmovp, Mnemonic.Cmovnp, Mnemonic.Cmovl, Mnemonic.Cmovge, Mnemonic.Cmovle, Mnemonic.Cmovg,
        },
    };

    /// <summary>The CPUID features of a Pentium Pro-class CPU with an FPU: the instruction set the emulator implements.</summary>
    internal static bool IsPentiumClass(Code c) => c.CpuidFeatures().All(f => f is CpuidFeature.INTEL8086 or CpuidFeature.INTEL186
        or CpuidFeature.INTEL286 or CpuidFeature.INTEL386 or CpuidFeature.INTEL486 or CpuidFeature.CMOV or CpuidFeature.FPU
        or CpuidFeature.FPU387 or CpuidFeature.CX8);

    private static readonly Dictionary<string, Code[]> s_codes = BuildCodeTables();

    private static Dictionary<string, Code[]> BuildCodeTables()
    {
        var tables = new Dictionary<string, Code[]>();
        foreach (var (family, mnemonics) in s_mnemonics)
        {
            var set = new HashSet<Mnemonic>(mnemonics);
            tables[family] = Enum.GetValues<Code>().Where(c => set.Contains(c.Mnemonic()) && Usable(c)).ToArray();
        }
        return tables;
    }

    /// <summary>Legacy 32-bit-mode encodings of the implemented instruction set whose operands <see cref="FillOperand"/> knows.</summary>
    private static bool Usable(Code c, bool withAliases = false)
    {
        OpCodeInfo oc = c.ToOpCode();
        if (oc.Encoding != EncodingKind.Legacy || !oc.Mode32 || oc.Fwait || !IsPentiumClass(c) || (!withAliases && IsUndocumentedAlias(c)))
        {
            return false;
        }
        for (int i = 0; i < oc.OpCount; i++)
        {
            if (oc.GetOpKind(i) is not (OpCodeOperandKind.r8_or_mem or OpCodeOperandKind.r8_reg or OpCodeOperandKind.r16_or_mem
                or OpCodeOperandKind.r16_reg or OpCodeOperandKind.r32_or_mem or OpCodeOperandKind.r32_reg or OpCodeOperandKind.al
                or OpCodeOperandKind.ax or OpCodeOperandKind.eax or OpCodeOperandKind.cl or OpCodeOperandKind.imm8 or OpCodeOperandKind.imm16
                or OpCodeOperandKind.imm32 or OpCodeOperandKind.imm8sex16 or OpCodeOperandKind.imm8sex32 or OpCodeOperandKind.imm8_const_1
                or OpCodeOperandKind.r16_opcode or OpCodeOperandKind.r32_opcode or OpCodeOperandKind.r8_opcode or OpCodeOperandKind.mem
                or OpCodeOperandKind.st0 or OpCodeOperandKind.sti_opcode))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Encodings the SDM's opcode map leaves blank but Intel processors execute as aliases (TEST F6 /1,
    /// SAL /6, the x87 DC D0-style copies, FSTP1, FFREEP). The emulator runs them as the hardware
    /// does; QEMU raises #UD for some, so the differential run leaves them to the unit tests.
    /// </summary>
    private static bool IsUndocumentedAlias(Code c)
    {
        string name = c.ToString();
        return c.Mnemonic() is Mnemonic.Sal or Mnemonic.Fstpnce or Mnemonic.Ffreep
            || c == Code.Bswap_r16 // the SDM leaves BSWAP of a 16-bit register undefined
            || name.EndsWith("r1", StringComparison.Ordinal)
            || System.Text.RegularExpressions.Regex.IsMatch(name, "_[0-9A-F]{4}$");
    }

    /// <summary>The register memory operands are based on: never an 8-bit alias, never written by the filler.</summary>
    private Register _base;
    private Register _base2 = Register.None; // a 16-bit addressing scheme's second register ([BX+SI], [BX+DI])
    private int _baseOffset;

    private static readonly Register[] s_r32 = { Register.EAX, Register.ECX, Register.EDX, Register.EBX, Register.EBP, Register.ESI, Register.EDI };
    private static readonly Register[] s_r8 = { Register.AL, Register.CL, Register.DL, Register.BL, Register.AH, Register.CH, Register.DH, Register.BH };

    private Register Gpr(int size)
    {
        while (true)
        {
            Register r = s_r32[_rng.Next(s_r32.Length)];
            if (r == _base || r == _base2)
            {
                continue;
            }
            return size switch
            {
                1 => s_r8[_rng.Next(s_r8.Length)],
                2 => r - Register.EAX + Register.AX,
                _ => r,
            };
        }
    }

    /// <summary>A memory operand inside the compared data bytes for an access of <paramref name="size"/> bytes.</summary>
    private MemoryOperand DataOperand(int size)
    {
        if (_sixteen)
        {
            return DataAt(_rng.Next(0, HarnessLayout.DataBytes - size + 1));
        }
        int lo = -_baseOffset, hi = HarnessLayout.DataBytes - size - _baseOffset;
        int disp = _rng.Next(lo, Math.Max(lo, hi) + 1);
        return new MemoryOperand(_base, disp, disp is >= -128 and <= 127 ? 1 : 4);
    }

    private object FillOperand(OpCodeOperandKind kind, int memSize)
    {
        bool mem = _rng.Next(10) < 4;
        switch (kind)
        {
            case OpCodeOperandKind.r8_or_mem: return mem ? DataOperand(1) : Gpr(1);
            case OpCodeOperandKind.r16_or_mem: return mem ? DataOperand(2) : Gpr(2);
            case OpCodeOperandKind.r32_or_mem: return mem ? DataOperand(4) : Gpr(4);
            case OpCodeOperandKind.r8_reg: case OpCodeOperandKind.r8_opcode: return Gpr(1);
            case OpCodeOperandKind.r16_reg: case OpCodeOperandKind.r16_opcode: return Gpr(2);
            case OpCodeOperandKind.r32_reg: case OpCodeOperandKind.r32_opcode: return Gpr(4);
            case OpCodeOperandKind.mem: return DataOperand(Math.Max(1, memSize));
            case OpCodeOperandKind.al: return Register.AL;
            case OpCodeOperandKind.ax: return Register.AX;
            case OpCodeOperandKind.eax: return Register.EAX;
            case OpCodeOperandKind.cl: return Register.CL;
            case OpCodeOperandKind.st0: return Register.ST0;
            case OpCodeOperandKind.sti_opcode: return Register.ST0 + _rng.Next(8);
            case OpCodeOperandKind.imm8: return (uint)_rng.Next(256);
            case OpCodeOperandKind.imm8_const_1: return 1u;
            case OpCodeOperandKind.imm16: return (uint)_rng.Next(0x10000);
            case OpCodeOperandKind.imm32: return RandomValue();
            default: return _rng.Next(-128, 128); // imm8sex16, imm8sex32
        }
    }

    /// <summary>Builds an instruction of <paramref name="code"/> with random operands.</summary>
    private Instruction Make(Code code)
    {
        OpCodeInfo oc = code.ToOpCode();
        int memSize = oc.MemorySize.GetSize();
        var ops = new object[oc.OpCount];
        for (int i = 0; i < ops.Length; i++)
        {
            ops[i] = FillOperand(oc.GetOpKind(i), memSize);
        }
        if (code.Mnemonic() is Mnemonic.Aam or Mnemonic.Aad && _rng.Next(3) > 0)
        {
            ops[0] = 10u; // mostly the documented base; sometimes others, and sometimes zero (#DE for AAM)
        }
        return Create(code, ops);
    }

    private static Instruction Create(Code c, object[] ops) => ops switch
    {
        [] => Instruction.Create(c),
        [Register a] => Instruction.Create(c, a),
        [MemoryOperand a] => Instruction.Create(c, a),
        [uint a] => Instruction.Create(c, a),
        [int a] => Instruction.Create(c, a),
        [uint a, uint b] => Instruction.Create(c, a, b),
        [uint a, Register b] => Instruction.Create(c, a, b),
        [int a, Register b] => Instruction.Create(c, a, b),
        [Register a, Register b] => Instruction.Create(c, a, b),
        [Register a, MemoryOperand b] => Instruction.Create(c, a, b),
        [Register a, uint b] => Instruction.Create(c, a, b),
        [Register a, int b] => Instruction.Create(c, a, b),
        [MemoryOperand a, Register b] => Instruction.Create(c, a, b),
        [MemoryOperand a, uint b] => Instruction.Create(c, a, b),
        [MemoryOperand a, int b] => Instruction.Create(c, a, b),
        [Register a, Register b, Register d] => Instruction.Create(c, a, b, d),
        [Register a, Register b, uint d] => Instruction.Create(c, a, b, d),
        [Register a, Register b, int d] => Instruction.Create(c, a, b, d),
        [Register a, MemoryOperand b, uint d] => Instruction.Create(c, a, b, d),
        [Register a, MemoryOperand b, int d] => Instruction.Create(c, a, b, d),
        [MemoryOperand a, Register b, Register d] => Instruction.Create(c, a, b, d),
        [MemoryOperand a, Register b, uint d] => Instruction.Create(c, a, b, d),
        _ => throw new InvalidOperationException($"no operand pattern for {c}"),
    };

    /// <summary>
    /// One instance of every legacy 32-bit-mode encoding of the implemented (Pentium Pro-class)
    /// instruction set whose operands the generator can fill, the undocumented aliases included:
    /// what the opcode sweep test executes.
    /// </summary>
    public IEnumerable<(Code Code, Instruction Instruction)> SampleEveryForm()
    {
        ChooseBase(16);
        foreach (Code c in Enum.GetValues<Code>())
        {
            if (c.ToOpCode().IsInstruction && Usable(c, withAliases: true))
            {
                yield return (c, Make(c));
            }
        }
    }

    private void ChooseBase(int offset)
    {
        _base = new[] { Register.EBP, Register.ESI, Register.EDI }[_rng.Next(3)];
        _baseOffset = offset;
    }

    private ConformanceCase IntegerCase(string family)
    {
        Code[] codes = s_codes[family];
        uint[] regs = RandomRegisters();
        // Shifts and bit tests on memory depend on a count or bit offset in a register: one instruction, with that register fixed up.
        bool single = family is "shift" or "bit";
        ChooseBase(single ? 16 : _rng.Next(0, 33));
        int n = single ? 1 : _rng.Next(1, 4);
        var body = new List<Instruction>();
        uint dynamicUndefined = 0;
        for (int i = 0; i < n; i++)
        {
            Instruction ins = Make(codes[_rng.Next(codes.Length)]);
            body.Add(ins);
            dynamicUndefined |= FixUpForDefinedResult(ins, regs);
        }
        regs[_base - Register.EAX] = HarnessLayout.DataBase + (uint)_baseOffset;
        var (code, text, undefined) = Encode(body);
        return new ConformanceCase
        {
            Family = family,
            Text = text,
            Registers = regs,
            Eflags = RandomFlags() | MaybeSingleStep(),
            Data = RandomData(),
            Code = code,
            UndefinedFlags = undefined | dynamicUndefined,
        };
    }

    /// <summary>
    /// Adjusts registers so the result is one the SDM defines (bit offsets inside the data, SHLD/SHRD
    /// counts within the operand), and returns the flags the SDM leaves undefined for this count.
    /// </summary>
    private uint FixUpForDefinedResult(Instruction ins, uint[] regs)
    {
        Mnemonic mn = ins.Mnemonic;
        if (mn is Mnemonic.Bt or Mnemonic.Bts or Mnemonic.Btr or Mnemonic.Btc && ins.Op0Kind == OpKind.Memory && ins.Op1Kind == OpKind.Register)
        {
            // The bit offset addresses operand-sized elements from base + disp: keep the element inside the data.
            int size = ins.MemorySize.GetSize();
            int at = _baseOffset + (int)ins.MemoryDisplacement32;
            int element = _rng.Next(-at / size, (HarnessLayout.DataBytes - size - at) / size + 1);
            regs[(int)(ins.Op1Register.GetFullRegister32() - Register.EAX)] = (uint)(element * 8 * size + _rng.Next(8 * size));
            return 0;
        }
        if (s_mnemonics["shift"].Contains(mn))
        {
            int width = ins.Op0Kind == OpKind.Register ? ins.Op0Register.GetSize() * 8 : ins.MemorySize.GetSize() * 8;
            int countOp = mn is Mnemonic.Shld or Mnemonic.Shrd ? 2 : 1;
            uint count;
            if (ins.GetOpKind(countOp) == OpKind.Register)
            {
                count = (uint)_rng.Next(0, mn is Mnemonic.Shld or Mnemonic.Shrd && width == 16 ? 17 : 40);
                regs[1] = (regs[1] & 0xFFFF_FF00) | count;
            }
            else
            {
                count = (uint)ins.GetImmediate(countOp);
                if (mn is Mnemonic.Shld or Mnemonic.Shrd && width == 16 && (count & 31) > 16)
                {
                    return 0xFFFF_FFFF; // undefined result: every flag masked, and the test still compares the registers
                }
            }
            count &= 31;
            uint undefined = count > 1 ? 0x800u : 0; // OF is defined only for 1-bit shifts and rotates
            if (mn is Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr or Mnemonic.Shld or Mnemonic.Shrd && count >= width)
            {
                undefined |= 0x1;
            }
            return undefined;
        }
        return 0;
    }
}

