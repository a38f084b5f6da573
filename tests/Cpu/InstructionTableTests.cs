using Iced.Intel;
using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// The per-encoding facts are checked against what the encodings themselves say (SDM vol. 2:
/// the condition in a Jcc/SETcc/CMOVcc opcode's low nibble, the ALU or shift operation in the
/// ModR/M reg field of the group opcodes, the ESC opcodes D8-DF) and against the block-ending
/// rules the interrupt-window work depends on (POPF in every operand size, MOV to system
/// registers but not from them).
/// </summary>
public class InstructionTableTests
{
    private static readonly Code[] s_codes = Enum.GetValues<Code>().Where(c => c != Code.INVALID).ToArray();

    private static DecodedOp DecodeOne(byte[] bytes, int bitness, bool specialise, out bool endsBlock)
    {
        var decoder = Decoder.Create(bitness, new ByteArrayCodeReader(bytes));
        decoder.Decode(out Instruction ins);
        Assert.False(ins.IsInvalid);
        endsBlock = InstructionDecoder.EndsBlock(in ins);
        return InstructionDecoder.Decode(in ins, specialise);
    }

    [Fact]
    public void EveryPopfEncoding_EndsABlock()
    {
        Code[] popf = s_codes.Where(c => c.Mnemonic() is Mnemonic.Popf or Mnemonic.Popfd).ToArray();
        Assert.NotEmpty(popf);
        Assert.All(popf, c => Assert.True(InstructionTable.Of(c).Flags.HasFlag(InstructionFlags.EndsBlock), c.ToString()));
    }

    [Fact]
    public void EveryControlTransfer_EndsABlock()
    {
        Code[] transfers = s_codes.Where(c => c.FlowControl() != FlowControl.Next).ToArray();
        Assert.Contains(Code.Jmp_rel32_32, transfers);
        Assert.All(transfers, c => Assert.True(InstructionTable.Of(c).Flags.HasFlag(InstructionFlags.EndsBlock), c.ToString()));
    }

    [Theory]
    [InlineData(new byte[] { 0x0F, 0x22, 0xC0 }, true)]  // mov cr0, eax
    [InlineData(new byte[] { 0x0F, 0x20, 0xC0 }, false)] // mov eax, cr0
    [InlineData(new byte[] { 0x0F, 0x23, 0xF8 }, true)]  // mov dr7, eax
    [InlineData(new byte[] { 0x0F, 0x21, 0xF8 }, false)] // mov eax, dr7
    [InlineData(new byte[] { 0x8E, 0xD8 }, true)]        // mov ds, ax
    [InlineData(new byte[] { 0x8C, 0xD8 }, false)]       // mov ax, ds
    [InlineData(new byte[] { 0x07 }, true)]              // pop es
    [InlineData(new byte[] { 0x0F, 0xA9 }, true)]        // pop gs
    [InlineData(new byte[] { 0x58 }, false)]             // pop eax
    [InlineData(new byte[] { 0x9D }, true)]              // popfd
    [InlineData(new byte[] { 0x66, 0x9D }, true)]        // popfw
    [InlineData(new byte[] { 0xAA }, false)]             // stosb
    [InlineData(new byte[] { 0xF3, 0xAA }, true)]        // rep stosb: may stop part-way
    [InlineData(new byte[] { 0xF2, 0xAE }, true)]        // repne scasb
    [InlineData(new byte[] { 0xE6, 0x80 }, true)]        // out 0x80, al
    [InlineData(new byte[] { 0x01, 0xC0 }, false)]       // add eax, eax
    public void BlockEnds_FollowTheEncoding(byte[] bytes, bool ends)
    {
        DecodeOne(bytes, 32, true, out bool endsBlock);
        Assert.Equal(ends, endsBlock);
    }

    [Fact]
    public void ConditionalInstructions_TakeTheirConditionFromTheOpcodesLowNibble()
    {
        int seen = 0;
        foreach (Code c in s_codes)
        {
            OpCodeInfo info = c.ToOpCode();
            if (info.Encoding != EncodingKind.Legacy)
            {
                continue;
            }
            uint op = info.OpCode;
            bool jccShort = info.Table == OpCodeTableKind.Normal && op is >= 0x70 and <= 0x7F;
            bool twoByte = info.Table == OpCodeTableKind.T0F && ((op & 0xF0) is 0x80 or 0x90 or 0x40);
            if (!jccShort && !twoByte)
            {
                continue;
            }
            ref readonly InstructionFacts f = ref InstructionTable.Of(c);
            Assert.Equal((byte)(op & 0xF), f.Selector);
            InstructionGroup expected = jccShort || (op & 0xF0) == 0x80 ? InstructionGroup.Jcc : (op & 0xF0) == 0x90 ? InstructionGroup.Setcc : InstructionGroup.Cmovcc;
            Assert.Equal(expected, f.Group);
            seen++;
        }
        Assert.True(seen >= 16 * 4, $"only {seen} conditional encodings");
    }

    [Fact]
    public void GroupOneAndShiftEncodings_TakeTheirOperationFromTheRegField()
    {
        int seen = 0;
        foreach (Code c in s_codes)
        {
            OpCodeInfo info = c.ToOpCode();
            if (info.Encoding != EncodingKind.Legacy || info.Table != OpCodeTableKind.Normal || info.GroupIndex < 0)
            {
                continue;
            }
            ref readonly InstructionFacts f = ref InstructionTable.Of(c);
            if (info.OpCode is 0x80 or 0x81 or 0x83)
            {
                Assert.Equal(InstructionGroup.Alu, f.Group);
                Assert.Equal(info.GroupIndex, f.Selector);
                seen++;
            }
            else if (info.OpCode is 0xC0 or 0xC1 or 0xD0 or 0xD1 or 0xD2 or 0xD3)
            {
                Assert.Equal(InstructionGroup.Shift, f.Group);
                Assert.Equal(info.GroupIndex == 6 ? 4 : info.GroupIndex, f.Selector); // /6 is SAL, which is SHL
                seen++;
            }
        }
        Assert.True(seen > 50, $"only {seen} group encodings");
    }

    [Fact]
    public void X87_IsTheEscOpcodesAndTheX87StateInstructions()
    {
        foreach (Code c in s_codes)
        {
            OpCodeInfo info = c.ToOpCode();
            bool esc = info.Encoding == EncodingKind.Legacy && info.Table == OpCodeTableKind.Normal && info.OpCode is >= 0xD8 and <= 0xDF;
            bool fpuFeature = c.CpuidFeatures().Any(f => f is CpuidFeature.FPU or CpuidFeature.FPU387);
            if (esc || fpuFeature)
            {
                Assert.True(InstructionTable.Of(c).IsX87, c.ToString());
                Assert.Equal(InstructionGroup.X87, InstructionTable.Of(c).Group);
            }
        }
        Assert.True(InstructionTable.IsX87(Mnemonic.Fisttp)); // SSE3, but an ESC opcode: #NM before #UD
        Assert.True(InstructionTable.IsX87(Mnemonic.Fxsave));
        Assert.False(InstructionTable.IsX87(Mnemonic.Wait));  // FWAIT belongs to the integer unit
        Assert.False(InstructionTable.IsX87(Mnemonic.Femms)); // 3DNow!, not x87
        Assert.False(InstructionTable.IsX87(Mnemonic.Add));
    }

    [Theory]
    [InlineData(new byte[] { 0x74, 0x00 }, 32, "Jcc", "JccAny")]            // je rel8
    [InlineData(new byte[] { 0x74, 0x00 }, 16, "JccAny", "JccAny")]          // je rel8 in 16-bit code
    [InlineData(new byte[] { 0x0F, 0x94, 0xC0 }, 32, "SetccAny", "SetccAny")] // sete al
    [InlineData(new byte[] { 0x0F, 0x44, 0xC1 }, 32, "CmovccAny", "CmovccAny")] // cmove eax, ecx
    [InlineData(new byte[] { 0x01, 0xC8 }, 32, "AluRR", "AluAny")]           // add eax, ecx
    [InlineData(new byte[] { 0x00, 0xC8 }, 32, "AluAny", "AluAny")]          // add al, cl
    [InlineData(new byte[] { 0xC1, 0xE0, 0x03 }, 32, "ShiftRI", "ShiftAny")] // shl eax, 3
    [InlineData(new byte[] { 0xC1, 0xC0, 0x03 }, 32, "ShiftAny", "ShiftAny")] // rol eax, 3: no specialised rotate
    [InlineData(new byte[] { 0xD9, 0xE8 }, 32, "X87", "X87")]                // fld1
    [InlineData(new byte[] { 0x0F, 0x0B }, 32, "Invalid", "Invalid")]        // ud2
    [InlineData(new byte[] { 0x0F, 0xA2 }, 32, "Generic", "Generic")]        // cpuid
    public void Forms_AreSpecialisedOnlyWhenAskedAndGroupedAlways(byte[] bytes, int bitness, string specialised, string plain)
    {
        Assert.Equal(specialised, ((OpForm)DecodeOne(bytes, bitness, true, out _).Form).ToString());
        Assert.Equal(plain, ((OpForm)DecodeOne(bytes, bitness, false, out _).Form).ToString());
    }
}
