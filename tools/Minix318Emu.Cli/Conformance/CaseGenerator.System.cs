using Iced.Intel;
using static Minix318Emu.Cli.Conformance.HarnessLayout;

namespace Minix318Emu.Cli.Conformance;

/// <summary>String instructions and the protected-mode templates: segment loads, far transfers and gates, paging faults, software interrupts.</summary>
public sealed partial class CaseGenerator
{
    private static readonly Code[] s_stringCodes =
    {
        Code.Movsb_m8_m8, Code.Movsw_m16_m16, Code.Movsd_m32_m32, Code.Cmpsb_m8_m8, Code.Cmpsw_m16_m16, Code.Cmpsd_m32_m32,
        Code.Scasb_AL_m8, Code.Scasw_AX_m16, Code.Scasd_EAX_m32, Code.Lodsb_AL_m8, Code.Lodsw_AX_m16, Code.Lodsd_EAX_m32,
        Code.Stosb_m8_AL, Code.Stosw_m16_AX, Code.Stosd_m32_EAX,
    };

    private ConformanceCase StringCase()
    {
        uint[] regs = RandomRegisters();
        bool down = _rng.Next(2) == 0;
        Code c = s_stringCodes[_rng.Next(s_stringCodes.Length)];
        int rep = _rng.Next(3); // none, REP/REPE, REPNE
        // At most five elements of at most four bytes from either start stay inside the compared bytes.
        uint start = down ? 40u : 0u;
        regs[6] = DataBase + start + (uint)_rng.Next(0, 8);
        regs[7] = DataBase + start + (uint)_rng.Next(0, 8);
        if (rep != 0)
        {
            regs[1] = (uint)_rng.Next(0, 6);
        }
        Instruction ins = StringInstruction(c, rep);
        uint flags = RandomFlags() & ~0x400u;
        if (down)
        {
            flags |= 0x400;
        }
        return Assemble("string", new[] { ins }, null, regs, flags | MaybeSingleStep(), KnownDeviation.None);
    }

    /// <summary>Encodes a case's instructions and wraps them with their initial state (random data bytes).</summary>
    private ConformanceCase Assemble(string family, IReadOnlyList<Instruction> body, IReadOnlyList<Instruction>? landing, uint[] regs, uint flags, KnownDeviation deviation)
    {
        var (code, text, undefined) = Encode(body, landing);
        return new ConformanceCase
        {
            Family = family,
            Text = text,
            Registers = regs,
            Eflags = flags,
            Data = RandomData(),
            Code = code,
            UndefinedFlags = undefined,
            Deviation = deviation,
        };
    }

    private static Instruction StringInstruction(Code c, int rep)
    {
        Mnemonic mn = c.Mnemonic();
        bool compare = mn is Mnemonic.Cmpsb or Mnemonic.Cmpsw or Mnemonic.Cmpsd or Mnemonic.Scasb or Mnemonic.Scasw or Mnemonic.Scasd;
        RepPrefixKind prefix = rep == 0 ? RepPrefixKind.None : rep == 2 && compare ? RepPrefixKind.Repne : RepPrefixKind.Repe;
        return mn switch
        {
            Mnemonic.Movsb => Instruction.CreateMovsb(32, Register.None, prefix),
            Mnemonic.Movsw => Instruction.CreateMovsw(32, Register.None, prefix),
            Mnemonic.Movsd => Instruction.CreateMovsd(32, Register.None, prefix),
            Mnemonic.Cmpsb => Instruction.CreateCmpsb(32, Register.None, prefix),
            Mnemonic.Cmpsw => Instruction.CreateCmpsw(32, Register.None, prefix),
            Mnemonic.Cmpsd => Instruction.CreateCmpsd(32, Register.None, prefix),
            Mnemonic.Scasb => Instruction.CreateScasb(32, prefix),
            Mnemonic.Scasw => Instruction.CreateScasw(32, prefix),
            Mnemonic.Scasd => Instruction.CreateScasd(32, prefix),
            Mnemonic.Lodsb => Instruction.CreateLodsb(32, Register.None, prefix),
            Mnemonic.Lodsw => Instruction.CreateLodsw(32, Register.None, prefix),
            Mnemonic.Lodsd => Instruction.CreateLodsd(32, Register.None, prefix),
            Mnemonic.Stosb => Instruction.CreateStosb(32, prefix),
            Mnemonic.Stosw => Instruction.CreateStosw(32, prefix),
            _ => Instruction.CreateStosd(32, prefix),
        };
    }

    private static readonly ushort[] s_selectors =
    {
        0, Code0, Data0, DataReadOnly, DataExpandDown, DataNotPresent, DataDpl3, CodeExecuteOnly, CodeReadable, DataSmall,
        CallGate, Data16, CodeConforming, FirstBeyondLimit, 0x78, 0x14, /* TI=1: the LDT is null */
    };

    private static readonly Register[] s_dataSegments = { Register.DS, Register.ES, Register.FS, Register.GS };

    private ushort RandomSelector() => (ushort)(s_selectors[_rng.Next(s_selectors.Length)] | (_rng.Next(3) == 0 ? _rng.Next(4) : 0));

    /// <summary>Whether a selector's segment has base zero (flat) rather than the data page.</summary>
    private static bool FlatBased(ushort sel) => (sel & ~3) is not (DataSmall or Data16);

    private ConformanceCase SystemCase()
    {
        uint[] regs = RandomRegisters();
        var body = new List<Instruction>();
        Instruction[]? landing = null;
        uint flags = RandomFlags();
        var deviation = KnownDeviation.None;
        switch (_rng.Next(7))
        {
            case 0:
            case 1:
            {
                // A segment load (register, memory, POP or LDS-family), then an access through it.
                ushort sel = RandomSelector();
                Register sreg = s_dataSegments[_rng.Next(s_dataSegments.Length)];
                regs[6] = DataBase;
                switch (_rng.Next(4))
                {
                    case 0:
                        body.Add(Instruction.Create(Code.Mov_r16_imm16, Register.AX, (uint)sel));
                        body.Add(Instruction.Create(Code.Mov_Sreg_r32m16, sreg, Register.EAX));
                        break;
                    case 1:
                        body.Add(Instruction.Create(Code.Pushd_imm32, (uint)sel));
                        body.Add(Instruction.Create(sreg switch { Register.DS => Code.Popd_DS, Register.ES => Code.Popd_ES, Register.FS => Code.Popd_FS, _ => Code.Popd_GS }, sreg));
                        break;
                    default:
                    {
                        // The far pointer is at data offset 0: offset dword, then selector.
                        Code lxs = sreg switch { Register.DS => Code.Lds_r32_m1632, Register.ES => Code.Les_r32_m1632, Register.FS => Code.Lfs_r32_m1632, _ => Code.Lgs_r32_m1632 };
                        body.Add(Instruction.Create(Code.Mov_rm16_imm16, new MemoryOperand(Register.ESI, 4L, 1), (uint)sel));
                        body.Add(Instruction.Create(lxs, Register.EDX, new MemoryOperand(Register.ESI, 0L, 1)));
                        break;
                    }
                }
                uint off = (uint)_rng.Next(0, 0x48);
                regs[3] = (FlatBased(sel) ? DataBase : 0) + off;
                var m = new MemoryOperand(Register.EBX, 0L, 0, false, sreg);
                deviation = KnownDeviation.SegmentChecks;
                body.Add(_rng.Next(2) == 0 ? Instruction.Create(Code.Mov_r32_rm32, Register.ECX, m) : Instruction.Create(Code.Mov_rm32_r32, m, Register.ECX));
                break;
            }
            case 2:
            {
                // A far call or jump: to code segments (conforming, readable, execute-only), through the call gate, or to bad selectors.
                ushort sel = _rng.Next(3) == 0 ? RandomSelector() : new[] { Code0, CodeReadable, CodeConforming, CodeExecuteOnly, CallGate }[_rng.Next(5)];
                bool call = _rng.Next(2) == 0;
                body.Add(Instruction.CreateBranch(call ? Code.Call_ptr1632 : Code.Jmp_ptr1632, sel, CodeBase + LandingPad));
                landing = new[] { Instruction.Create(Code.Mov_r32_imm32, Register.EDI, 0x600Du) };
                break;
            }
            case 3:
            {
                // Paging: reads and writes to the read-only and not-present pages, and a write straddling into the read-only page.
                uint[] targets = { ReadOnlyPage, NotPresentPage, ReadOnlyPage - 2, NotPresentPage - 1 };
                uint addr = targets[_rng.Next(targets.Length)] + (uint)_rng.Next(0, 16);
                var m = new MemoryOperand(Register.None, (long)addr, 4);
                int kind = _rng.Next(3);
                body.Add(kind switch
                {
                    0 => Instruction.Create(Code.Mov_r32_rm32, Register.EAX, m),
                    1 => Instruction.Create(Code.Mov_rm32_r32, m, Register.EAX),
                    _ => Instruction.Create(Code.Add_rm32_r32, m, Register.EAX),
                });
                deviation = kind == 2 ? KnownDeviation.ReadModifyWriteFaultAsRead : KnownDeviation.None;
                break;
            }
            case 4:
            {
                // A string copy that runs from the read-only page into the not-present one: progress, then #PF.
                uint k = (uint)_rng.Next(1, 32);
                regs[6] = NotPresentPage - k;
                regs[7] = DataBase;
                regs[1] = k + (uint)_rng.Next(0, 4);
                flags &= ~0x400u;
                body.Add(Instruction.CreateMovsb(32, Register.None, RepPrefixKind.Repe));
                break;
            }
            case 5:
            {
                // Software interrupts and the exceptions that instructions raise themselves.
                regs[5] = DataBase;
                body.Add(_rng.Next(6) switch
                {
                    0 => Instruction.Create(Code.Int3),
                    1 => Instruction.Create(Code.Into),
                    2 => Instruction.Create(Code.Int_imm8, (uint)_rng.Next(0x20, 0x100)),
                    3 => Instruction.Create(Code.Ud2),
                    4 => Instruction.Create(Code.Bound_r32_m3232, Register.EAX, new MemoryOperand(Register.EBP, _rng.Next(0, 7) * 8, 1)),
                    _ => Instruction.Create(Code.Bound_r16_m1616, Register.AX, new MemoryOperand(Register.EBP, _rng.Next(0, 15) * 4, 1)),
                });
                if (_rng.Next(2) == 0)
                {
                    regs[0] = (uint)_rng.Next(-10, 10);
                }
                break;
            }
            default:
            {
                // Descriptor queries on random selectors.
                regs[1] = RandomSelector() | ((uint)_rng.Next(0x10000) << 16);
                Code c = new[] { Code.Lar_r32_r32m16, Code.Lsl_r32_r32m16, Code.Lar_r16_rm16, Code.Lsl_r16_rm16, Code.Verr_rm16, Code.Verw_rm16, Code.Arpl_rm16_r16 }[_rng.Next(7)];
                body.Add(c switch
                {
                    Code.Verr_rm16 or Code.Verw_rm16 => Instruction.Create(c, Register.CX),
                    Code.Arpl_rm16_r16 => Instruction.Create(c, Register.DX, Register.CX),
                    Code.Lar_r32_r32m16 or Code.Lsl_r32_r32m16 => Instruction.Create(c, Register.EAX, Register.ECX),
                    _ => Instruction.Create(c, Register.AX, Register.CX),
                });
                break;
            }
        }
        return Assemble("system", body, landing, regs, flags, deviation);
    }
}
