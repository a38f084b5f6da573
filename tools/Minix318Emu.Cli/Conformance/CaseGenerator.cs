using Iced.Intel;

namespace Minix318Emu.Cli.Conformance;

/// <summary>
/// Writes random but valid instruction sequences with random initial state, one instruction
/// family at a time. Integer and x87 forms are taken from Iced's opcode tables (every legacy
/// 32-bit encoding of the family's mnemonics whose operands the filler knows), so new forms
/// are covered without listing them; protected-mode cases come from templates that aim at
/// segment, gate and paging checks. The same seed gives the same cases.
/// </summary>
public sealed partial class CaseGenerator
{
    /// <summary>The families, in the order reports list them.</summary>
    public static readonly string[] Families = { "alu", "shift", "muldiv", "bcd", "bit", "string", "x87", "x87-transcendental", "system", "real16", "pm16", "vm86" };

    private readonly Random _rng;
    private readonly Random _singleStep; // its own stream, so choosing TF leaves every other choice as the seed made it

    public CaseGenerator(int seed)
    {
        _rng = new Random(seed);
        _singleStep = new Random(seed ^ 0x5EED_7F01);
    }

    /// <summary>One integer or string case in eight runs single-stepped: TF set, a #DB trap after its first instruction (or REP iteration).</summary>
    private uint MaybeSingleStep() => _singleStep.Next(8) == 0 ? 0x100u : 0u;

    /// <summary>Generates <paramref name="count"/> cases spread evenly over <paramref name="families"/>.</summary>
    public List<ConformanceCase> Generate(int count, IReadOnlyList<string> families)
    {
        var cases = new List<ConformanceCase>(count);
        for (int i = 0; i < count; i++)
        {
            cases.Add(Next(families[i % families.Count]));
        }
        return cases;
    }

    public ConformanceCase Next(string family) => family switch
    {
        "string" => StringCase(),
        "system" => SystemCase(),
        "x87" => X87Case(transcendental: false),
        "x87-transcendental" => X87Case(transcendental: true),
        "real16" or "pm16" or "vm86" => SixteenBitCase(family),
        _ => IntegerCase(family),
    };

    // ---- random values ------------------------------------------------------------------

    private static readonly uint[] s_interesting =
    {
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE, 0x8000_0001,
    };

    private uint RandomValue() => _rng.Next(4) switch
    {
        0 => s_interesting[_rng.Next(s_interesting.Length)],
        1 => (uint)_rng.Next(-40, 40),
        _ => (uint)_rng.NextInt64(0, 1L << 32),
    };

    /// <summary>Random arithmetic flags and DF; IF and TF stay clear so nothing interrupts the case (TF comes from <see cref="MaybeSingleStep"/>).</summary>
    private uint RandomFlags(bool withDf = false)
    {
        uint f = 0x2 | ((uint)_rng.Next(0x100) & 0xD5) | (_rng.Next(2) == 0 ? 0x800u : 0);
        if (withDf && _rng.Next(2) == 0)
        {
            f |= 0x400;
        }
        return f;
    }

    private byte[] RandomData()
    {
        var d = new byte[HarnessLayout.DataBytes];
        _rng.NextBytes(d);
        return d;
    }

    private uint[] RandomRegisters()
    {
        var r = new uint[8];
        for (int i = 0; i < 8; i++)
        {
            r[i] = RandomValue();
        }
        r[4] = HarnessLayout.StackTop - 0x200; // ESP: the case's stack page
        return r;
    }

    // ---- assembling ---------------------------------------------------------------------

    /// <summary>Encodes the instructions at the code page and appends the jump back to the harness.</summary>
    private static (byte[] Code, string Text, uint Undefined) Encode(IReadOnlyList<Instruction> body, IReadOnlyList<Instruction>? landing = null)
    {
        var writer = new CodeBytes();
        var encoder = Encoder.Create(32, writer);
        var text = new System.Text.StringBuilder();
        var formatter = new IntelFormatter();
        var output = new StringOutput();
        uint undefined = 0;
        ulong ip = HarnessLayout.CodeBase;
        foreach (Instruction ins in body)
        {
            var i = ins;
            int len = (int)encoder.Encode(i, ip);
            i.IP = ip;
            ip += (ulong)len;
            formatter.Format(i, output);
            if (text.Length > 0)
            {
                text.Append("; ");
            }
            text.Append(output.ToStringAndReset());
            undefined |= ToEflags(i.RflagsUndefined);
        }
        // Through SS, which cases never load: DS may hold a segment the slot is not inside, CS an execute-only one.
        Instruction back = Instruction.Create(Code.Jmp_rm32, new MemoryOperand(Register.None, (long)HarnessLayout.DoneSlot, 4, false, Register.SS));
        ip += encoder.Encode(back, ip);
        if (landing is not null)
        {
            while (writer.Bytes.Count < HarnessLayout.LandingPad)
            {
                writer.WriteByte(0xCC);
            }
            ip = HarnessLayout.CodeBase + HarnessLayout.LandingPad;
            foreach (Instruction ins in landing)
            {
                ip += encoder.Encode(ins, ip);
            }
            encoder.Encode(back, ip);
        }
        if (writer.Bytes.Count > HarnessLayout.MaxCode)
        {
            throw new InvalidOperationException($"generated case of {writer.Bytes.Count} bytes exceeds {HarnessLayout.MaxCode}");
        }
        return (writer.Bytes.ToArray(), text.ToString(), undefined);
    }

    /// <summary>Iced's RflagsBits to EFLAGS bit positions.</summary>
    private static uint ToEflags(RflagsBits f)
    {
        uint e = 0;
        if ((f & RflagsBits.OF) != 0) e |= 0x800;
        if ((f & RflagsBits.SF) != 0) e |= 0x80;
        if ((f & RflagsBits.ZF) != 0) e |= 0x40;
        if ((f & RflagsBits.AF) != 0) e |= 0x10;
        if ((f & RflagsBits.CF) != 0) e |= 0x1;
        if ((f & RflagsBits.PF) != 0) e |= 0x4;
        return e;
    }

    private sealed class CodeBytes : CodeWriter
    {
        public List<byte> Bytes { get; } = new();

        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
