using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>Segmentation and paging checks, privilege rules, exception delivery and the fault escalation to a triple fault.</summary>
public sealed class ProtectionTests
{
    [Fact]
    public void LoadingANullSelectorIntoSs_RaisesGp0()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.xor(eax, eax);
            c.mov(ss, ax);
        });
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), h.RunToFault());
    }

    [Fact]
    public void LoadingASelectorBeyondTheGdtLimit_RaisesGpWithTheSelector()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x1238);
            c.mov(ds, ax);
        });
        Assert.Equal((ExceptionVectors.GeneralProtection, 0x1238), h.RunToFault());
    }

    [Fact]
    public void NullDataSegment_LoadsButFaultsOnUse()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.xor(eax, eax);
            c.mov(es, ax);              // allowed
            c.mov(ebx, __dword_ptr[0x20000]);
            c.mov(ebx, __dword_ptr.es[0x20000]); // #GP(0)
        });
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), h.RunToFault());
    }

    [Fact]
    public void SegmentLimit_IsCheckedForTheLastByte_AndStackFaultsAreSs()
    {
        var h = new CpuHarness();
        h.WriteDescriptor(5, 0x0040_9200_0000_0FFFul); // data, base 0, limit 0xFFF, byte granular
        h.Code(c =>
        {
            c.mov(eax, 0x28);
            c.mov(ds, ax);
            c.mov(ebx, __dword_ptr[0xFFC]);   // last dword: fine
            c.mov(ebx, __dword_ptr[0xFFD]);   // crosses the limit: #GP(0)
        });
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), h.RunToFault());

        var s = new CpuHarness();
        s.WriteDescriptor(5, 0x0040_9200_0000_0FFFul);
        s.Code(c =>
        {
            c.mov(eax, 0x28);
            c.mov(ss, ax);
            c.mov(esp, 0x1002);
            c.push(eax);                       // ESP-4 = 0xFFE: crosses the limit
        });
        // The #SS handler itself cannot push on that stack either, so this escalates; the first exception is #SS(0).
        Assert.Equal((ExceptionVectors.StackFault, 0), s.RunToFault());
    }

    [Fact]
    public void PageFault_NotPresentRead_SetsCr2AndErrorCode()
    {
        var h = new CpuHarness();
        var p = new PagingFixture(h);
        p.Unmap(0x30000);
        p.Enable();
        h.Code(c => c.mov(eax, __dword_ptr[0x30123]));
        Assert.Equal((ExceptionVectors.PageFault, 0), h.RunToFault());
        Assert.Equal(0x30123u, h.Cpu.Cr2);
    }

    [Fact]
    public void WriteProtect_OnlyAppliesToSupervisorWritesWhenCr0WpIsSet()
    {
        var h = new CpuHarness();
        var p = new PagingFixture(h);
        p.SetPte(0x30000, 0x5); // present, user, read-only
        p.Enable(writeProtect: false);
        h.Code(c => c.mov(__dword_ptr[0x30000], 1)).RunToEnd();
        Assert.Equal(1u, h.Machine.Memory.Read32(0x30000));

        var w = new CpuHarness();
        var q = new PagingFixture(w);
        q.SetPte(0x30000, 0x5);
        q.Enable(writeProtect: true);
        w.Code(c => c.mov(__dword_ptr[0x30000], 1));
        Assert.Equal((ExceptionVectors.PageFault, 3), w.RunToFault()); // present, write, supervisor
    }

    [Fact]
    public void AccessedAndDirtyBits_AreSetByReadsAndWrites()
    {
        var h = new CpuHarness();
        var p = new PagingFixture(h);
        p.SetPte(0x30000, 0x7);
        p.SetPte(0x31000, 0x7);
        p.Enable();
        h.Code(c =>
        {
            c.mov(eax, __dword_ptr[0x30000]);
            c.mov(__dword_ptr[0x31000], eax);
        }).RunToEnd();
        Assert.Equal(0x20u, p.Pte(0x30000) & 0x60);
        Assert.Equal(0x60u, p.Pte(0x31000) & 0x60);
        Assert.Equal(0x20u, p.Pde(0) & 0x60);
    }

    [Fact]
    public void LargePages_MapFourMegabytes_WithPse()
    {
        var h = new CpuHarness();
        var p = new PagingFixture(h);
        p.SetPde(1, 0x0000_0087); // 4 MiB page at 4 MiB -> physical 0
        p.Enable(pse: true);
        h.Machine.Memory.Write32(0x12344, 0xFEEDFACE);
        h.Code(c => c.mov(eax, __dword_ptr[0x412344])).RunToEnd();
        Assert.Equal(0xFEEDFACEu, h.Eax);
        Assert.Equal(0x20u, p.Pde(1) & 0x60);
    }

    [Fact]
    public void Invlpg_DropsAStaleTranslation()
    {
        var h = new CpuHarness();
        var p = new PagingFixture(h);
        p.Enable();
        h.Machine.Memory.Write32(0x30000, 111);
        h.Machine.Memory.Write32(0x31000, 222);
        h.Code(c =>
        {
            c.mov(eax, __dword_ptr[0x30000]);                          // cached in the TLB
            c.mov(__dword_ptr[PagingFixture.Table + 0x30 * 4], 0x31007); // remap 0x30000 -> 0x31000
            c.mov(ebx, __dword_ptr[0x30000]);                          // stale: still 111
            c.invlpg(__byte_ptr[0x30000]);
            c.mov(ecx, __dword_ptr[0x30000]);                          // now 222
        }).RunToEnd();
        Assert.Equal(111u, h.Eax);
        Assert.Equal(111u, h.Ebx);
        Assert.Equal(222u, h.Ecx);
    }

    [Fact]
    public void Ring3_PrivilegedInstructionsFault_AndUserPagesAreEnforced()
    {
        var h = new CpuHarness();
        var p = new PagingFixture(h);
        p.SetPte(0x30000, 0x3); // supervisor only
        p.Enable();
        h.InstallTss(); // so the fault can switch to the ring-0 stack
        h.Place(CpuHarness.UserCode, c =>
        {
            c.mov(eax, 0x23);                 // the return to ring 3 nulled DS (its DPL 0 is below CPL 3)
            c.mov(ds, ax);
            c.mov(eax, __dword_ptr[0x30000]); // #PF(user, read, present)
        });
        h.Code(CpuHarness.EnterRing3);
        var (v, code) = h.RunToFault();
        Assert.Equal(ExceptionVectors.PageFault, v);
        Assert.Equal(5, code);
        Assert.Equal(0, h.Cpu.Cpl);
        // The ring-0 frame: error code, EIP, CS, EFLAGS, ESP, SS of ring 3.
        Assert.Equal(0x1Bu, h.Machine.Memory.Read32(CpuHarness.StackTop - 16));
        Assert.Equal(0x70000u, h.Machine.Memory.Read32(CpuHarness.StackTop - 8));
        Assert.Equal(0x23u, h.Machine.Memory.Read32(CpuHarness.StackTop - 4));
    }

    [Fact]
    public void ReturnToRing3_NullsDataSegmentsItMayNotUse()
    {
        var h = new CpuHarness();
        h.InstallTss();
        h.Place(CpuHarness.UserCode, c => c.mov(eax, __dword_ptr[0x20000]));
        h.Code(CpuHarness.EnterRing3);
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), h.RunToFault());
        Assert.Equal(0, h.Cpu.Seg[SegReg.Ds].Selector);
    }

    [Fact]
    public void InOut_AtRing3_FollowTheTssIoBitmap()
    {
        var h = new CpuHarness();
        h.InstallTss(ioBitmapBytes: 0x2000);                        // every port denied...
        h.Machine.Memory.Write8(0x6000 + 0x68 + (0x3F8 >> 3), 0xFE); // ...but 0x3F8
        h.Code(CpuHarness.EnterRing3);
        h.Place(CpuHarness.UserCode, c =>
        {
            c.mov(edx, 0x3F8);
            c.@in(al, dx);           // allowed by the bitmap
            c.mov(ebx, 0x1234);
            c.mov(edx, 0x3F9);
            c.@in(al, dx);           // denied: #GP(0)
            c.hlt();
        });
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), h.RunToFault());
        Assert.Equal(0x1234u, h.Ebx);
    }

    private static void ClearPresent(CpuHarness h, int vector)
    {
        uint a = CpuHarness.IdtBase + (uint)vector * 8 + 4;
        h.Machine.Memory.Write32(a, h.Machine.Memory.Read32(a) & ~0x8000u);
    }

    [Fact]
    public void InvalidGateType_IsGpWithTheIdtEntry()
    {
        var h = new CpuHarness();
        h.Machine.Memory.Write32(CpuHarness.IdtBase + 6 * 8 + 4, 0); // type 0 is no gate
        h.Code(c => c.ud2());
        var vectors = new List<(int, int)>();
        h.Cpu.ExceptionRaised = (v, e) => vectors.Add((v, e));
        h.Run();
        Assert.Equal((ExceptionVectors.GeneralProtection, 6 * 8 + 2), vectors[1]);
    }

    [Fact]
    public void NotPresentIdtEntry_IsNp_BenignThenContributoryIsNotADoubleFault()
    {
        var h = new CpuHarness();
        ClearPresent(h, 6); // #UD's gate is not present
        h.Code(c => c.ud2());
        var vectors = new List<int>();
        h.Cpu.ExceptionRaised = (v, _) => vectors.Add(v);
        h.Run();
        Assert.Equal(new[] { ExceptionVectors.InvalidOpcode, ExceptionVectors.SegmentNotPresent }, vectors.Take(2));
        // #UD (benign) then #NP: delivered as #NP, whose handler halts.
        Assert.Equal(2, vectors.Count);
    }

    [Fact]
    public void ContributoryFaultDuringDelivery_IsADoubleFault_AndAFaultDuringThatIsATripleFault()
    {
        var h = new CpuHarness();
        h.Cpu.IdtLimit = 8 * 9 - 1; // #DF (8) reachable, #GP (13) beyond the limit
        ClearPresent(h, 0); // #DE's gate is not present: #NP, which is contributory
        h.Code(c =>
        {
            c.xor(ecx, ecx);
            c.div(ecx);
        });
        var vectors = new List<int>();
        h.Cpu.ExceptionRaised = (v, _) => vectors.Add(v);
        h.Run();
        Assert.Equal(new[] { 0, 11, 8 }, vectors);

        var t = new CpuHarness();
        t.Cpu.IdtLimit = 7; // only vector 0: everything else faults
        t.Code(c => c.ud2());
        RunResult r = t.Run();
        Assert.Equal(StopReason.TripleFault, r.Reason);
        Assert.Contains("EIP=", r.Message);
        Assert.Contains("CR0=", r.Message);
    }

    [Fact]
    public void SoftwareInterrupt_ToADpl0Gate_FromRing3_IsGpWithTheGateSelector()
    {
        var h = new CpuHarness();
        h.InstallTss();
        h.Place(CpuHarness.UserCode, c => c.@int(0x40));
        h.Code(CpuHarness.EnterRing3);
        Assert.Equal((ExceptionVectors.GeneralProtection, 0x40 * 8 + 2), h.RunToFault());
    }

    [Fact]
    public void Cr4_ReservedBitsFault_AndPaeIsNotSupported()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x20); // PAE
            c.mov(cr4, eax);
        });
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), h.RunToFault());
    }

    [Fact]
    public void Cpuid_AdvertisesOnlyImplementedFeatures()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.xor(eax, eax);
            c.cpuid();
            c.mov(__dword_ptr[0x20000], ebx);
            c.mov(__dword_ptr[0x20004], edx);
            c.mov(__dword_ptr[0x20008], ecx);
            c.mov(eax, 1);
            c.cpuid();
        }).RunToEnd();
        var vendor = new byte[12];
        h.Machine.Memory.ReadBytes(0x20000, vendor);
        Assert.Equal("GenuineIntel", System.Text.Encoding.ASCII.GetString(vendor));
        Assert.Equal(1u, h.Edx & 1);              // FPU on chip
        Assert.Equal(1u << 24, h.Edx & (1 << 24)); // FXSR: FXSAVE/FXRSTOR
        Assert.Equal(1u << 11, h.Edx & (1 << 11)); // SEP: SYSENTER/SYSEXIT
        Assert.Equal(1u << 8, h.Edx & (1 << 8));   // CX8
        Assert.Equal(0u, h.Edx & (1 << 23));       // no MMX
        Assert.Equal(1u << 2, h.Edx & (1 << 2));   // DE: I/O breakpoints
    }

    [Fact]
    public void BiosSignId_HoldsWhatWasWritten_UntilCpuidLeaf1LoadsTheMicrocodeRevision()
    {
        // The way kernels read the microcode revision: WRMSR 0x8B with 0, CPUID 1, RDMSR 0x8B.
        var h = new CpuHarness().Code(c =>
        {
            c.mov(ecx, 0x8B);
            c.mov(eax, 0x1234);
            c.mov(edx, 0x5678);
            c.wrmsr();
            c.rdmsr();
            c.mov(__dword_ptr[0x20000], eax);
            c.mov(__dword_ptr[0x20004], edx);
            c.mov(eax, 1);
            c.cpuid();
            c.mov(ecx, 0x8B);
            c.rdmsr();
        }).RunToEnd();
        Assert.Equal(0x1234u, h.Machine.Memory.Read32(0x20000));
        Assert.Equal(0x5678u, h.Machine.Memory.Read32(0x20004));
        Assert.Equal(0u, h.Eax);
        Assert.Equal(Emulator.Processor.Cpu.MicrocodeRevision, h.Edx);
    }

    [Fact]
    public void Rdmsr_OfAnUnimplementedMsr_RaisesGeneralProtection()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(ecx, 0x186); // IA32_PERFEVTSEL0: no performance counters here
            c.rdmsr();
        });
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), h.RunToFault());
    }

    /// <summary>A port that raises the CPU's NMI the first time it is written.</summary>
    private sealed class NmiPort(Emulator.Processor.Cpu cpu) : Emulator.Io.IPortDevice
    {
        private bool _raised;

        public uint Read(ushort port, int size) => 0;

        public void Write(ushort port, int size, uint value)
        {
            if (!_raised)
            {
                _raised = true;
                cpu.RaiseNmi();
            }
        }
    }

    [Fact]
    public void Nmi_IsTakenWithInterruptsDisabled_AndAnotherWaitsForTheHandlersIret()
    {
        const uint handler = 0x12000;
        var h = new CpuHarness();
        h.Place(handler, c =>
        {
            c.inc(__dword_ptr[0x20000]);   // NMIs taken
            c.@out(0x99, al);              // the first handler's write raises a second NMI
            c.mov(eax, __dword_ptr[0x20000]);
            c.add(__dword_ptr[0x20010], eax);
            c.iretd();
        });
        SetGate(h, ExceptionVectors.Nmi, handler);
        h.Machine.Io.Register(0x99, 1, new NmiPort(h.Cpu));
        h.Code(c =>
        {
            c.cli();
            c.mov(ecx, 50);
            var loop = c.CreateLabel();
            c.Label(ref loop);
            c.dec(ecx);
            c.jnz(loop);
        });
        h.Cpu.RaiseNmi();
        h.RunToEnd();
        Assert.Equal(2u, h.Machine.Memory.Read32(0x20000));
        // Blocked until IRET: the first handler adds 1, then the second adds 2. Nested, it would be 2 + 2.
        Assert.Equal(3u, h.Machine.Memory.Read32(0x20010));
        Assert.Equal(0u, h.Ecx);                                  // and the interrupted loop completed
    }

    [Fact]
    public void HaltWithInterruptsDisabled_IsWokenByAnNmi()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.cli();
            c.hlt();
            c.mov(eax, 0x1234);
        });
        h.Run();
        Assert.True(h.Cpu.Halted);
        h.Cpu.RaiseNmi();
        h.Cpu.Run(h.Cpu.InstructionCount + 100); // vector 2's stub is a HLT: the CPU halts again, there
        Assert.Equal(CpuHarness.FaultStubs + 2 + 1, h.Cpu.Eip);
    }

    /// <summary>A ring-0 32-bit interrupt gate to <paramref name="handler"/> in the harness's IDT.</summary>
    private static void SetGate(CpuHarness h, int vector, uint handler) =>
        SetIdtEntry(h, vector, (handler & 0xFFFF) | (0x08ul << 16) | (0x8Eul << 40) | ((ulong)(handler >> 16) << 48));

    private static void SetIdtEntry(CpuHarness h, int vector, ulong descriptor)
    {
        h.Machine.Memory.Write32(CpuHarness.IdtBase + (uint)vector * 8, (uint)descriptor);
        h.Machine.Memory.Write32(CpuHarness.IdtBase + (uint)vector * 8 + 4, (uint)(descriptor >> 32));
    }

    [Fact]
    public void SingleStep_TrapsAfterEachInstructionStartedWithTf_AsTheSdmSays()
    {
        const uint debugHandler = 0x12000, intHandler = 0x12100, table = 0x20100;
        var h = new CpuHarness();
        h.Place(debugHandler, c =>
        {
            c.push(eax);
            c.push(ebx);
            c.mov(ebx, __dword_ptr[0x20000]);
            c.mov(eax, __dword_ptr[esp + 8]);          // the trap's return EIP
            c.mov(__dword_ptr[ebx * 4 + (int)table], eax);
            c.inc(__dword_ptr[0x20000]);
            c.pop(ebx);
            c.pop(eax);
            c.iretd();
        });
        h.Place(intHandler, c => c.iretd());
        SetGate(h, ExceptionVectors.Debug, debugHandler);
        SetGate(h, 0x30, intHandler);
        h.Code(c =>
        {
            c.mov(esi, 0x30000);
            c.mov(edi, 0x30100);
            c.mov(ecx, 3);
            c.pushfd();
            c.or(__dword_ptr[esp], 0x100);
            c.popfd();                   // sets TF: no trap after the POPF itself
            c.mov(eax, 1);               // trap 1
            c.rep.movsb();               // traps 2-4, one per iteration
            c.mov(bx, ss);               // trap 5
            c.mov(ss, bx);               // none: MOV SS holds the trap back ...
            c.nop();                     // ... to after this one: trap 6
            c.@int(0x30);                // none: the handler runs with TF clear
            c.nop();                     // trap 7 (IRET restored TF)
            c.pushfd();                  // trap 8
            c.and(__dword_ptr[esp], ~0x100);   // trap 9
            c.popfd();                   // trap 10: TF was set when it began
            c.nop();                     // none
        });
        Assert.Equal(StopReason.HaltedForever, h.Run().Reason);   // the final HLT (the #DBs are expected here)
        var eips = Enumerable.Range(0, (int)h.Machine.Memory.Read32(0x20000)).Select(i => h.Machine.Memory.Read32(table + (uint)i * 4) - CpuHarness.CodeBase).ToArray();
        // Offsets of the instruction after each trap: MOV EAX ends at 0x1D; REP MOVSB (F3 A4) traps twice
        // on itself, then after it; 66 8C D3 / 66 8E D3; NOP; INT 30h then the NOP after it; PUSHFD; AND (7 bytes); POPFD.
        Assert.Equal(new uint[] { 0x1D, 0x1D, 0x1D, 0x1F, 0x22, 0x26, 0x29, 0x2A, 0x31, 0x32 }, eips);
        Assert.Equal(0x4000u, h.Cpu.Dr[6] & 0x4000);                 // DR6.BS
        Assert.Equal(0u, h.Flags & 0x100);
    }

    /// <summary>A #DB handler recording (return EIP, DR6) pairs at 0x20100 and resuming with RF set.</summary>
    private static CpuHarness DebugHarness()
    {
        const uint handler = 0x12000;
        var h = new CpuHarness();
        h.Place(handler, c =>
        {
            c.push(eax);
            c.push(ebx);
            c.mov(ebx, __dword_ptr[0x20000]);
            c.mov(eax, __dword_ptr[esp + 8]);
            c.mov(__dword_ptr[ebx * 8 + 0x20100], eax);
            c.mov(eax, dr6);
            c.mov(__dword_ptr[ebx * 8 + 0x20104], eax);
            c.xor(eax, eax);
            c.mov(dr6, eax);                              // software clears DR6
            c.or(__dword_ptr[esp + 16], 0x10000);         // RF in the EFLAGS image: resume past an instruction breakpoint
            c.inc(__dword_ptr[0x20000]);
            c.pop(ebx);
            c.pop(eax);
            c.iretd();
        });
        SetGate(h, ExceptionVectors.Debug, handler);
        return h;
    }

    private static (uint Eip, uint Dr6)[] DebugRecords(CpuHarness h) =>
        Enumerable.Range(0, (int)h.Machine.Memory.Read32(0x20000))
            .Select(i => (h.Machine.Memory.Read32(0x20100 + (uint)i * 8), h.Machine.Memory.Read32(0x20104 + (uint)i * 8) & 0xE00F))
            .ToArray();

    [Fact]
    public void InstructionBreakpoint_FaultsBeforeTheInstruction_AndRfLetsItRunOnce()
    {
        var h = DebugHarness();
        h.Place(0x14000, c =>
        {
            c.inc(__dword_ptr[0x20200]);
            c.ret();
        });
        h.Code(c =>
        {
            c.mov(eax, 0x14000);
            c.mov(dr0, eax);
            c.mov(eax, 0x1);                              // L0, execute, length 1
            c.mov(dr7, eax);
            c.mov(eax, 0x14000);
            c.call(eax);
            c.call(eax);                                  // RF was cleared after the first run: it faults again
        });
        Assert.Equal(StopReason.HaltedForever, h.Run().Reason);
        Assert.Equal(new[] { (0x14000u, 0x1u), (0x14000u, 0x1u) }, DebugRecords(h));
        Assert.Equal(2u, h.Machine.Memory.Read32(0x20200));      // the instruction ran once per call
    }

    [Fact]
    public void DataBreakpoints_TrapAfterTheAccess_ByKindAndLength_AndInsideRepStrings()
    {
        var h = DebugHarness();
        h.Code(c =>
        {
            c.mov(eax, 0x20300);
            c.mov(dr1, eax);
            c.mov(eax, 0x20401);                          // 1-byte breakpoint: alignment keeps it at 0x20401
            c.mov(dr2, eax);
            c.mov(eax, (1 << 2) | (1 << 4) | (0b1101 << 20) | (0b0011 << 24)); // L1, L2; DR1 write 4 bytes; DR2 read/write 1 byte
            c.mov(dr7, eax);
            c.mov(__dword_ptr[0x20302], eax);             // at 0x18, overlaps DR1's dword: trap with EIP 0x1D
            c.mov(ebx, __dword_ptr[0x20300]);             // a read: DR1 watches writes only
            c.mov(bl, __byte_ptr[0x20400]);               // outside DR2's byte
            c.mov(bl, __byte_ptr[0x20401]);               // read of DR2's byte: trap with EIP 0x2F
            c.mov(edi, 0x203FF);
            c.mov(ecx, 4);
            c.rep.stosb();                                // at 0x39: the third element writes 0x20401: trap with EIP still on it
        });
        Assert.Equal(StopReason.HaltedForever, h.Run().Reason);
        uint b = CpuHarness.CodeBase;
        Assert.Equal(new[] { (b + 0x1D, 0x2u), (b + 0x2F, 0x4u), (b + 0x39, 0x4u) }, DebugRecords(h));
        Assert.Equal(0u, h.Ecx);                                  // and the string instruction then finished
    }

    [Fact]
    public void GeneralDetect_FaultsOnADebugRegisterAccess_AndClearsItself()
    {
        var h = DebugHarness();
        h.Code(c =>
        {
            c.mov(eax, 0x2400);                           // GD
            c.mov(dr7, eax);
            c.mov(eax, dr0);                              // at 0x08: #DB with BD, before it runs
            c.mov(ebx, dr7);
        });
        Assert.Equal(StopReason.HaltedForever, h.Run().Reason);
        Assert.Equal(new[] { (CpuHarness.CodeBase + 0x08, 0x2000u) }, DebugRecords(h));
        Assert.Equal(0x400u, h.Ebx);                              // GD cleared on the way into the handler
    }

    /// <summary>A 32-bit TSS for a flat ring-0 task: EIP, ESP, EFLAGS 2, CS 0x08, the other segments 0x10.</summary>
    private static void WriteFlatTss(Emulator.Memory.PhysicalMemory m, uint tss, uint eip, uint esp)
    {
        m.Write32(tss + 0x20, eip);
        m.Write32(tss + 0x24, 0x2);
        m.Write32(tss + 0x38, esp);
        foreach (uint off in new uint[] { 0x48, 0x50, 0x54, 0x58, 0x5C })
        {
            m.Write32(tss + off, 0x10);                           // ES, SS, DS, FS, GS
        }
        m.Write32(tss + 0x4C, 0x08);                              // CS
    }

    [Fact]
    public void TaskSwitches_ByCallIretJmpAndTaskGates_SaveAndLoadTheTss()
    {
        var h = new CpuHarness();
        h.InstallTss();                                           // task A's TSS at 0x6000, selector 0x28
        const uint tssB = 0x7000;
        h.WriteDescriptor(6, 0x0000_8900_0000_0000ul | ((ulong)tssB << 16) | 0x67);   // 0x30: task B, available
        h.WriteDescriptor(7, 0x0000_8500_0000_0000ul | (0x30ul << 16));               // 0x38: a task gate to B
        SetIdtEntry(h, 0x31, 0x0000_8500_0000_0000ul | (0x30ul << 16));               // IDT 0x31: a task gate to B
        var m = h.Machine.Memory;
        WriteFlatTss(m, tssB, eip: 0x15000, esp: 0x60000);
        m.Write32(tssB + 0x28, 0x1111);                           // EAX
        h.Place(0x15000, c =>
        {
            c.mov(__dword_ptr[0x20000], eax);                     // B's own EAX from its TSS
            c.pushfd();
            c.pop(ecx);
            c.mov(__dword_ptr[0x20004], ecx);                     // NT: B was called
            c.mov(ebx, __dword_ptr[tssB]);
            c.mov(__dword_ptr[0x20008], ebx);                     // the back link: A
            c.str(ax);
            c.mov(__word_ptr[0x2000C], ax);
            c.iretd();                                            // back to A (NT): B's state is saved here
            c.mov(__dword_ptr[0x20010], 0xB2);                    // reached through the GDT task gate
            c.db(0xEA, 0, 0, 0, 0, 0x28, 0);                      // JMP FAR 0x28:0: back to A
            c.mov(__dword_ptr[0x20014], 0xB3);                    // reached through the IDT task gate
            c.iretd();
        });
        h.Code(c =>
        {
            c.mov(ax, 0x28);
            c.ltr(ax);
            c.mov(edi, 0xA1A1);
            c.db(0x9A, 0, 0, 0, 0, 0x30, 0);                      // CALL FAR 0x30:0
            c.mov(__dword_ptr[0x20020], edi);                     // A's registers came back from its TSS
            c.mov(eax, cr0);
            c.mov(__dword_ptr[0x20024], eax);
            c.db(0xEA, 0, 0, 0, 0, 0x38, 0);                      // JMP FAR through the task gate
            c.@int(0x31);                                         // the IDT task gate
            c.str(ax);
            c.mov(__word_ptr[0x20028], ax);
        });
        h.RunToEnd();
        Assert.Equal(0x1111u, m.Read32(0x20000));
        Assert.Equal(0x4000u, m.Read32(0x20004) & 0x4000);       // NT set in the called task
        Assert.Equal(0x28u, m.Read32(0x20008));
        Assert.Equal(0x30u, m.Read32(0x2000C) & 0xFFFF);
        Assert.Equal(0xA1A1u, m.Read32(0x20020));
        Assert.Equal(ControlRegs.Cr0TS, m.Read32(0x20024) & ControlRegs.Cr0TS);
        Assert.Equal(0xB2u, m.Read32(0x20010));
        Assert.Equal(0xB3u, m.Read32(0x20014));
        Assert.Equal(0x28u, m.Read32(0x20028) & 0xFFFF);
        Assert.Equal(0x89, m.Read8(CpuHarness.GdtBase + 6 * 8 + 5));   // B available again after its IRET
        Assert.Equal(0x8B, m.Read8(CpuHarness.GdtBase + 5 * 8 + 5));   // A busy
        Assert.Equal(0u, h.Flags & 0x4000);                            // NT clear in A
    }

    [Fact]
    public void TaskSwitch_ToABusyTask_IsGeneralProtection()
    {
        var h = new CpuHarness();
        h.InstallTss();
        h.Code(c =>
        {
            c.mov(ax, 0x28);
            c.ltr(ax);                                            // A is busy now
            c.db(0xEA, 0, 0, 0, 0, 0x28, 0);                      // JMP FAR to itself
        });
        Assert.Equal((ExceptionVectors.GeneralProtection, 0x28), h.RunToFault());
    }

    [Fact]
    public void Exception_ThroughATaskGate_PushesItsErrorCodeOnTheNewTasksStack()
    {
        var h = new CpuHarness();
        h.InstallTss();
        const uint tssC = 0x7100;
        h.WriteDescriptor(8, 0x0000_8900_0000_0000ul | ((ulong)tssC << 16) | 0x67);    // 0x40: task C
        SetIdtEntry(h, 13, 0x0000_8500_0000_0000ul | (0x40ul << 16));                  // #GP goes to task C
        var m = h.Machine.Memory;
        WriteFlatTss(m, tssC, eip: 0x16000, esp: 0x50000);
        h.Place(0x16000, c =>
        {
            c.pop(eax);                                           // the error code
            c.mov(__dword_ptr[0x20030], eax);
            c.mov(__dword_ptr[0x20034], esp);
            c.hlt();
        });
        h.Code(c =>
        {
            c.mov(ax, 0x28);
            c.ltr(ax);
            c.mov(ax, 0x7B);
            c.mov(ds, ax);                                        // beyond the GDT: #GP(0x78)
        });
        h.Run();
        Assert.Equal(0x78u, m.Read32(0x20030));
        Assert.Equal(0x50000u, m.Read32(0x20034));
        Assert.Equal(0x40, h.Cpu.Tr.Selector);
        Assert.Equal(12u, m.Read32(0x6000 + 0x20) - CpuHarness.CodeBase); // A's saved EIP: the faulting MOV DS (after 66 B8 imm16, 66 0F 00 D8, 66 B8 imm16)
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4095)]   // the TLB's generation counter wraps around at 4095 flushes
    [InlineData(5000)]
    public void Cr3Reload_DropsEveryCachedTranslation_HoweverManyFlushesCameBefore(int reloads)
    {
        var h = new CpuHarness();
        var p = new PagingFixture(h);
        p.Enable();
        h.Machine.Memory.Write32(0x40000, 0xAAAA);
        h.Machine.Memory.Write32(0x41000, 0xBBBB);
        h.Code(c =>
        {
            c.mov(eax, __dword_ptr[0x40000]);           // cache 0x40000 -> 0x40000
            c.mov(__dword_ptr[0x20000], eax);
            c.mov(edx, 0x101000 + (0x40000 >> 12) * 4);
            c.mov(__dword_ptr[edx], 0x41007);           // remap it to 0x41000
            c.mov(ecx, reloads);
            var l = c.CreateLabel();
            c.Label(ref l);
            c.mov(eax, cr3);
            c.mov(cr3, eax);
            c.dec(ecx);
            c.jnz(l);
            c.mov(eax, __dword_ptr[0x40000]);           // must walk the new mapping
            c.mov(__dword_ptr[0x20004], eax);
        }).RunToEnd();
        Assert.Equal(0xAAAAu, h.Machine.Memory.Read32(0x20000));
        Assert.Equal(0xBBBBu, h.Machine.Memory.Read32(0x20004));
    }

    [Fact]
    public void TaskSwitch_IntoATssWithItsTBitSet_TrapsWithDr6Bt_BeforeTheFirstInstruction()
    {
        var h = DebugHarness();                                   // #DB records (EIP, DR6) and resumes
        h.InstallTss();
        const uint tssB = 0x7000;
        h.WriteDescriptor(6, 0x0000_8900_0000_0000ul | ((ulong)tssB << 16) | 0x67);
        var m = h.Machine.Memory;
        WriteFlatTss(m, tssB, eip: 0x15000, esp: 0x60000);
        m.Write16(tssB + 0x64, 1);                                // T
        h.Place(0x15000, c => c.hlt());
        h.Code(c =>
        {
            c.mov(ax, 0x28);
            c.ltr(ax);
            c.db(0xEA, 0, 0, 0, 0, 0x30, 0);                      // JMP FAR to task B
        });
        h.Run();
        Assert.Equal(new[] { (0x15000u, 0x8000u) }, DebugRecords(h));   // trapped at B's first instruction, BT
        Assert.Equal(0x15001u, h.Cpu.Eip);                                  // then B ran (its HLT)
    }

    [Fact]
    public void TaskSwitch_IntoAVirtual8086Task_RunsItsCodeWithParagraphSegments()
    {
        var h = new CpuHarness();
        h.InstallTss();
        const uint tssB = 0x7000;
        h.WriteDescriptor(6, 0x0000_8900_0000_0000ul | ((ulong)tssB << 16) | 0x67);
        var m = h.Machine.Memory;
        m.Write32(tssB + 0x04, 0x70000);                          // ESP0 for the way out
        m.Write32(tssB + 0x08, 0x10);                             // SS0
        m.Write32(tssB + 0x20, 0x0);                              // IP
        m.Write32(tssB + 0x24, 0x0002_0002);                      // EFLAGS: VM
        m.Write32(tssB + 0x38, 0x1000);                           // SP
        m.Write32(tssB + 0x48, 0x1111);                           // ES
        m.Write32(tssB + 0x4C, 0x3000);                           // CS: 0x30000
        m.Write32(tssB + 0x50, 0x4000);                           // SS
        m.Write32(tssB + 0x54, 0x2000);                           // DS: 0x20000
        m.WriteBytes(0x30000, new byte[] { 0xB8, 0x34, 0x12, 0xA3, 0x10, 0x00, 0xF4 }); // mov ax,1234h; mov [10h],ax; hlt
        h.Code(c =>
        {
            c.mov(ax, 0x28);
            c.ltr(ax);
            c.db(0xEA, 0, 0, 0, 0, 0x30, 0);                      // JMP FAR to the virtual-8086 task
        });
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), h.RunToFault()); // HLT at CPL 3
        Assert.Equal(0x1234u, m.Read32(0x20010) & 0xFFFF);
        // The ring-0 frame from TSS B's ESP0: error code, EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS.
        Assert.Equal(6u, m.Read32(0x70000 - 40 + 4));              // IP of the HLT
        Assert.Equal(0x3000u, m.Read32(0x70000 - 40 + 8));
        Assert.Equal(0x2_0000u, m.Read32(0x70000 - 40 + 12) & 0x2_0000); // VM in the pushed EFLAGS
        Assert.Equal(0x1111u, m.Read32(0x70000 - 40 + 24));        // ES
        Assert.Equal(0x2000u, m.Read32(0x70000 - 40 + 28));        // DS
    }

    [Theory]
    [InlineData(true, 0xAAAAu)]     // CR4.PGE with PTE.G: the translation survives the CR3 load
    [InlineData(false, 0xBBBBu)]    // without PGE the G bit means nothing: the new mapping is seen
    public void GlobalPages_KeepTheirTranslationAcrossCr3Loads_UntilInvlpg(bool pge, uint afterCr3)
    {
        var h = new CpuHarness();
        var p = new PagingFixture(h);
        p.Enable();
        if (pge)
        {
            h.Cpu.WriteCr(4, ControlRegs.Cr4PGE);
        }
        p.SetPte(0x40000, 0x107);                        // present, writable, user, global
        h.Machine.Memory.Write32(0x40000, 0xAAAA);
        h.Machine.Memory.Write32(0x41000, 0xBBBB);
        h.Code(c =>
        {
            c.mov(eax, __dword_ptr[0x40000]);           // cached
            c.mov(__dword_ptr[0x20000], eax);
            c.mov(edx, 0x101000 + (0x40000 >> 12) * 4);
            c.mov(__dword_ptr[edx], 0x41107);           // remapped in memory only
            c.mov(eax, cr3);
            c.mov(cr3, eax);
            c.mov(eax, __dword_ptr[0x40000]);
            c.mov(__dword_ptr[0x20004], eax);
            c.invlpg(__byte_ptr[0x40000]);
            c.mov(eax, __dword_ptr[0x40000]);
            c.mov(__dword_ptr[0x20008], eax);
        }).RunToEnd();
        Assert.Equal(0xAAAAu, h.Machine.Memory.Read32(0x20000));
        Assert.Equal(afterCr3, h.Machine.Memory.Read32(0x20004));
        Assert.Equal(0xBBBBu, h.Machine.Memory.Read32(0x20008));   // INVLPG drops a global entry too
    }

    [Fact]
    public void IoBreakpoint_WithCr4De_TrapsAfterTheIn_AndDr4FaultsThen()
    {
        var h = DebugHarness();
        h.Code(c =>
        {
            c.mov(eax, cr4);
            c.or(eax, 0x8);                               // CR4.DE
            c.mov(cr4, eax);
            c.mov(eax, 0x60);
            c.mov(dr3, eax);
            c.mov(eax, (1 << 6) | (0b0110 << 28));        // L3; DR3: I/O, 2 bytes (0x60-0x61)
            c.mov(dr7, eax);
            c.@in(al, 0x64);                              // not watched
            c.@in(al, 0x61);                              // trap with EIP 0x1F, after it
            c.mov(eax, dr4);                              // #UD with DE set
        });
        var faults = new List<int>();
        h.Cpu.ExceptionRaised = (v, _) => faults.Add(v);
        h.Run();
        Assert.Equal(new[] { (CpuHarness.CodeBase + 0x1F, 0x8u) }, DebugRecords(h));
        Assert.Equal(new[] { ExceptionVectors.Debug, ExceptionVectors.InvalidOpcode }, faults);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SldtAndStr_AreUndefinedInRealMode(bool str)
    {
        var h = new CpuHarness(protectedMode: false);
        h.Machine.Memory.WriteBytes(0x7C00, str ? new byte[] { 0x0F, 0x00, 0xC8 } : new byte[] { 0x0F, 0x00, 0xC0 }); // STR AX / SLDT AX
        h.Cpu.JumpRealMode(0, 0x7C00);
        Assert.Equal(ExceptionVectors.InvalidOpcode, h.RunToFault().Vector);
    }
}
