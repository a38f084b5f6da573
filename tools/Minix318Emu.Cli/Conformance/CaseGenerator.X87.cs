using System.Buffers.Binary;
using Iced.Intel;

namespace Minix318Emu.Cli.Conformance;

/// <summary>The x87 families: random instruction sequences over a random register stack, control word and memory.</summary>
public sealed partial class CaseGenerator
{
    private static readonly Mnemonic[] s_transcendental =
    {
        Mnemonic.F2xm1, Mnemonic.Fyl2x, Mnemonic.Fyl2xp1, Mnemonic.Fptan, Mnemonic.Fpatan, Mnemonic.Fsin, Mnemonic.Fcos, Mnemonic.Fsincos,
    };

    /// <summary>State images and the instructions that are not on a Pentium (FISTTP is SSE3) are left to the unit tests.</summary>
    private static readonly Mnemonic[] s_x87Excluded =
    {
        Mnemonic.Fldenv, Mnemonic.Frstor, Mnemonic.Fnsave, Mnemonic.Fsave, Mnemonic.Fxsave, Mnemonic.Fxrstor, Mnemonic.Fstenv,
        Mnemonic.Fisttp, Mnemonic.Fneni, Mnemonic.Feni, Mnemonic.Fndisi, Mnemonic.Fdisi, Mnemonic.Fnsetpm, Mnemonic.Fsetpm, Mnemonic.Frstpm,
        // These change which registers are in use without a push or pop; the unit tests cover them.
        Mnemonic.Ffree, Mnemonic.Fincstp, Mnemonic.Fdecstp,
        // Unmasking exceptions (FLDCW of random data) leads where QEMU does not follow (no #MF at the next
        // waiting instruction); FNSTENV and FNSTSW to memory store C1, which QEMU does not keep.
        Mnemonic.Fldcw, Mnemonic.Fnstenv, Mnemonic.Fnstsw,
    };

    /// <summary>Control instructions: QEMU updates the last-instruction pointer for some of them, the SDM says they leave it alone.</summary>
    private static readonly Mnemonic[] s_x87Control =
    {
        Mnemonic.Fnstsw, Mnemonic.Fstsw, Mnemonic.Fnstcw, Mnemonic.Fstcw, Mnemonic.Fldcw, Mnemonic.Fnclex, Mnemonic.Fclex,
        Mnemonic.Fninit, Mnemonic.Finit, Mnemonic.Fnstenv, Mnemonic.Fnop,
    };

    private static readonly Code[] s_x87Codes = Enum.GetValues<Code>()
        .Where(c => Minix318Emu.Emulator.Processor.Cpu.IsX87Instruction(c.Mnemonic()) && Usable(c)
            && !s_x87Excluded.Contains(c.Mnemonic()) && !s_transcendental.Contains(c.Mnemonic()))
        .ToArray();

    private static readonly Code[] s_transcendentalCodes = Enum.GetValues<Code>()
        .Where(c => s_transcendental.Contains(c.Mnemonic()) && Usable(c)).ToArray();

    private static readonly Code[] s_x87Stores =
    {
        Code.Fstp_m80fp, Code.Fst_m64fp, Code.Fnstsw_AX,
    };

    private static readonly Mnemonic[] s_conditionSetters =
    {
        Mnemonic.Fcom, Mnemonic.Fcomp, Mnemonic.Fcompp, Mnemonic.Fucom, Mnemonic.Fucomp, Mnemonic.Fucompp, Mnemonic.Ficom, Mnemonic.Ficomp,
        Mnemonic.Ftst, Mnemonic.Fxam, Mnemonic.Fprem, Mnemonic.Fprem1, Mnemonic.Fninit,
    };

    private static readonly Mnemonic[] s_conditionKeepers = { Mnemonic.Fnstsw, Mnemonic.Fnstcw, Mnemonic.Fnop };

    /// <summary>Whether C0, C2 and C3 are defined after the sequence: the last instruction to touch them defines them.</summary>
    private static bool ConditionCodesDefinedAfter(IEnumerable<Instruction> body)
    {
        bool defined = true;
        foreach (Instruction i in body)
        {
            if (s_conditionSetters.Contains(i.Mnemonic))
            {
                defined = true;
            }
            else if (!s_conditionKeepers.Contains(i.Mnemonic))
            {
                defined = false;
            }
        }
        return defined;
    }

    /// <summary>
    /// With a precision control below 64 bits QEMU also rounds what the SDM leaves exact (loads of
    /// memory operands, FILD, FBLD, constants, FRNDINT, FPREM), so those cases keep to register arithmetic.
    /// </summary>
    private static readonly Code[] s_x87ReducedPrecision = s_x87Codes
        .Where(c => !c.ToOpCode().IsInstruction || (OpKinds(c).All(k => k != OpCodeOperandKind.mem)
            && c.Mnemonic() is not (Mnemonic.Frndint or Mnemonic.Fprem or Mnemonic.Fprem1 or Mnemonic.Fldpi or Mnemonic.Fldl2e
                or Mnemonic.Fldl2t or Mnemonic.Fldlg2 or Mnemonic.Fldln2)))
        .ToArray();

    private static IEnumerable<OpCodeOperandKind> OpKinds(Code c)
    {
        OpCodeInfo oc = c.ToOpCode();
        for (int i = 0; i < oc.OpCount; i++)
        {
            yield return oc.GetOpKind(i);
        }
    }

    private ConformanceCase X87Case(bool transcendental)
    {
        uint[] regs = RandomRegisters();
        int pc = new[] { 0, 2, 3, 3, 3 }[_rng.Next(5)];
        ChooseBase(0);
        var body = new List<Instruction>();
        int valid = _rng.Next(2, 8);
        int stack = (1 << valid) - 1; // bit i: ST(i) in use
        if (transcendental)
        {
            // One function, its approximate result compared in the registers (QEMU also rounds these to
            // the precision control, which the SDM does not, so they run at 64 bits).
            pc = 3;
            body.Add(WithoutStackFault(s_transcendentalCodes, ref stack));
            if (_rng.Next(2) == 0)
            {
                body.Add(Instruction.Create(Code.Fnstsw_AX, Register.AX));
            }
        }
        else
        {
            int n = _rng.Next(1, 4);
            for (int i = 0; i < n; i++)
            {
                body.Add(WithoutStackFault(pc == 3 ? s_x87Codes : s_x87ReducedPrecision, ref stack));
            }
            if (_rng.Next(2) == 0)
            {
                body.Add(WithoutStackFault(s_x87Stores, ref stack));
            }
        }
        regs[_base - Register.EAX] = HarnessLayout.DataBase;
        var (code, text, undefined) = Encode(body);
        return new ConformanceCase
        {
            Family = transcendental ? "x87-transcendental" : "x87",
            Text = text,
            Registers = regs,
            Eflags = RandomFlags(),
            Data = X87Data(),
            Fpu = FpuImage(valid, pc, moderate: transcendental),
            Code = code,
            UndefinedFlags = undefined,
            ApproximateFpu = transcendental,
            CompareFpuPointers = !body.Any(b => s_x87Control.Contains(b.Mnemonic)),
            ConditionCodesDefined = ConditionCodesDefinedAfter(body),
            StatusWordInEax = body.Any(b => b.Code == Code.Fnstsw_AX),
            Deviation = (body.Any(b => b.Mnemonic is Mnemonic.Fcomi or Mnemonic.Fcomip or Mnemonic.Fucomi or Mnemonic.Fucomip)
                    ? KnownDeviation.FcomiKeepsOfSfAf : KnownDeviation.None)
                | (body.Any(b => b.Mnemonic == Mnemonic.Fscale) ? KnownDeviation.FscaleNaNChoice : KnownDeviation.None)
                | (body.Any(b => b.Mnemonic == Mnemonic.Fprem1) ? KnownDeviation.Fprem1QuotientBits : KnownDeviation.None),
        };
    }

    /// <summary>The data bytes as eight slots of doubles, pairs of floats, small integers or extended values.</summary>
    private byte[] X87Data()
    {
        byte[] d = RandomData();
        for (int at = 0; at + 8 <= d.Length; at += 8)
        {
            switch (_rng.Next(4))
            {
                case 0:
                    BinaryPrimitives.WriteInt64LittleEndian(d.AsSpan(at), BitConverter.DoubleToInt64Bits(RandomDouble()));
                    break;
                case 1:
                    BinaryPrimitives.WriteSingleLittleEndian(d.AsSpan(at), (float)RandomDouble());
                    BinaryPrimitives.WriteSingleLittleEndian(d.AsSpan(at + 4), (float)RandomDouble());
                    break;
                case 2:
                    BinaryPrimitives.WriteInt64LittleEndian(d.AsSpan(at), _rng.Next(-100000, 100000));
                    break;
                default:
                    if (at + 10 <= d.Length)
                    {
                        RandomExtended(d.AsSpan(at, 10));
                    }
                    break;
            }
        }
        return d;
    }

    private double RandomDouble() => _rng.Next(8) switch
    {
        0 => 0.0,
        1 => _rng.Next(-1000, 1000),
        2 => (_rng.NextDouble() - 0.5) * Math.Pow(2, _rng.Next(-1100, 1100)),
        3 => _rng.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
        4 => double.NaN,
        5 => (_rng.NextDouble() - 0.5) * 1e-310, // double denormal
        _ => (_rng.NextDouble() - 0.5) * _rng.Next(1, 100),
    };

    /// <summary>An extended value from a class chosen at random: normal, zero, denormal, infinity, NaNs, integers, near the limits, unsupported.</summary>
    private void RandomExtended(Span<byte> b)
    {
        ulong sig = (ulong)_rng.NextInt64() | (1ul << 63);
        int exp = 0x3FFF + _rng.Next(-70, 70);
        bool sign = _rng.Next(2) == 0;
        switch (_rng.Next(14))
        {
            case 0: sig = 0; exp = 0; break;
            case 1: sig >>= _rng.Next(1, 64); exp = 0; break;                       // denormal
            case 2: sig = 1ul << 63; exp = 0x7FFF; break;                           // infinity
            case 3: sig |= 1ul << 62; exp = 0x7FFF; break;                          // QNaN
            case 4: sig &= ~(1ul << 62); sig |= 1; exp = 0x7FFF; break;             // SNaN
            case 5: exp = 0x3FFF + _rng.Next(0, 20); sig &= ~0ul << (63 - (exp - 0x3FFF)); break; // an integer
            case 6: exp = _rng.Next(2) == 0 ? 0x7FFE - _rng.Next(3) : 1 + _rng.Next(3); break;   // near overflow or underflow
            case 7: exp = _rng.Next(1, 0x7FFF); break;                              // any finite exponent
            case 8: sig &= ~(1ul << 63); if (_rng.Next(4) != 0) { sig |= 1ul << 63; } break;    // occasionally an unnormal
            case 9: sig = 1ul << 63; exp = 0x3FFF + _rng.Next(-2, 3); break;        // a power of two
            default: break;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(b, sig);
        BinaryPrimitives.WriteUInt16LittleEndian(b[8..], (ushort)((sign ? 0x8000 : 0) | exp));
    }

    /// <summary>
    /// Picks instructions until one neither reads an empty register nor pushes onto a full stack:
    /// QEMU does not implement the x87 stack fault (IE with SF), so those cases are the unit tests'.
    /// </summary>
    private Instruction WithoutStackFault(Code[] pool, ref int stack)
    {
        while (true)
        {
            Instruction ins = Make(pool[_rng.Next(pool.Length)]);
            if (X87StackModel.Apply(ins, ref stack))
            {
                return ins;
            }
        }
    }

    /// <summary>A 32-bit protected-mode FNSAVE image: random control word, TOP and contents, ST(0)..ST(valid-1) in use.</summary>
    private byte[] FpuImage(int valid, int pc, bool moderate)
    {
        var img = new byte[HarnessLayout.FpuImageBytes];
        // All exceptions masked: QEMU does not implement the unmasked responses (no #MF at the next waiting
        // instruction, results written anyway), so those are the unit tests' to check.
        int masks = 0x3F;
        int rc = _rng.Next(4);
        ushort cw = (ushort)(0x40 | masks | (pc << 8) | (rc << 10));
        int top = _rng.Next(8);
        ushort sw = (ushort)((top << 11) | (_rng.Next(2) * 0x4000) | (_rng.Next(8) << 8));
        ushort tw = 0;
        for (int i = valid; i < 8; i++)
        {
            tw |= (ushort)(3 << (2 * ((top + i) & 7)));
        }
        BinaryPrimitives.WriteUInt32LittleEndian(img, 0xFFFF_0000u | cw);
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(4), 0xFFFF_0000u | sw);
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(8), 0xFFFF_0000u | tw);
        for (int i = 0; i < 8; i++)
        {
            RandomExtended(img.AsSpan(28 + 10 * i, 10));
        }
        if (moderate)
        {
            // The transcendental under test gets operands inside its documented range (|x| < 2^63 for the
            // trigonometric ones); outside it FPTAN and FSINCOS push nothing and the stack model would not hold.
            for (int i = 0; i < 2; i++)
            {
                double v = (_rng.NextDouble() - 0.5) * Math.Pow(2, _rng.Next(-20, 0)); // |v| <= 1/4: inside F2XM1's and FYL2XP1's ranges too
                Minix318Emu.Emulator.Fpu.Float80.FromDouble(v).Write(img.AsSpan(28 + 10 * i, 10));
            }
        }
        return img;
    }
}
