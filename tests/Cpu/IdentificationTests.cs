using Minix318Emu.Devices.Board;
using Minix318Emu.Emulator.Processor;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// The processor the CPU says it is (issue 14, finding 9): CPUID's family, model and stepping,
/// its leaf 2 caches, the absence of a brand string, the TSC rate a guest measures against the
/// PIT, and CR4 accepting exactly the bits of the features CPUID reports — each read through
/// the guest's own instructions and decoded with the SDM's tables written out here.
/// </summary>
public sealed class IdentificationTests
{
    /// <summary>Runs CPUID for each leaf and returns EAX, EBX, ECX, EDX per leaf.</summary>
    private static uint[][] Cpuid(params uint[] leaves)
    {
        var h = new CpuHarness().Code(c =>
        {
            for (int i = 0; i < leaves.Length; i++)
            {
                c.mov(eax, leaves[i]);
                c.xor(ecx, ecx);
                c.cpuid();
                c.mov(__dword_ptr[0x20000 + 16 * i], eax);
                c.mov(__dword_ptr[0x20004 + 16 * i], ebx);
                c.mov(__dword_ptr[0x20008 + 16 * i], ecx);
                c.mov(__dword_ptr[0x2000C + 16 * i], edx);
            }
        }).RunToEnd();
        return leaves.Select((_, i) => Enumerable.Range(0, 4).Select(r => h.Machine.Memory.Read32(0x20000 + (uint)(16 * i + 4 * r))).ToArray()).ToArray();
    }

    /// <summary>The leaf 2 descriptors a P6-family part uses (SDM vol. 2A, table 3-12): kind and size in KiB (TLBs: entries).</summary>
    private static readonly Dictionary<byte, (string Kind, int Size)> s_descriptors = new()
    {
        [0x01] = ("ITLB 4K", 32),
        [0x02] = ("ITLB 4M", 2),
        [0x03] = ("DTLB 4K", 64),
        [0x04] = ("DTLB 4M", 8),
        [0x06] = ("L1I", 8),
        [0x08] = ("L1I", 16),
        [0x0A] = ("L1D", 8),
        [0x0C] = ("L1D", 16),
        [0x40] = ("no L2", 0),
        [0x41] = ("L2", 128),
        [0x42] = ("L2", 256),
        [0x43] = ("L2", 512),
        [0x44] = ("L2", 1024),
        [0x45] = ("L2", 2048),
        [0x82] = ("L2", 256),
        [0x83] = ("L2", 512),
        [0x84] = ("L2", 1024),
        [0x85] = ("L2", 2048),
    };

    [Fact]
    public void Cpuid_DescribesOnePentiumII_ItsSignatureAndItsLeaf2Caches()
    {
        uint[][] r = Cpuid(0, 1, 2);
        Assert.Equal(2u, r[0][0]); // leaf 2 is the highest
        uint sig = r[1][0];
        Assert.Equal((6u, 5u, 2u), ((sig >> 8) & 0xF, (sig >> 4) & 0xF, sig & 0xF)); // family 6, model 5 (Deschutes), stepping 2
        Assert.Equal(0u, sig >> 12);                                              // no extended family/model, processor type 0 (OEM)
        Assert.Equal(0u, r[1][1] & 0xFF);                                         // no brand index (Pentium III Coppermine and later)

        uint[] d = r[2];
        Assert.Equal(1u, d[0] & 0xFF); // one CPUID(2) call returns everything
        var caches = new List<(string Kind, int Size)>();
        for (int reg = 0; reg < 4; reg++)
        {
            Assert.Equal(0u, d[reg] >> 31); // bit 31 clear: the register holds descriptors
            for (int b = reg == 0 ? 1 : 0; b < 4; b++)
            {
                byte desc = (byte)(d[reg] >> (8 * b));
                if (desc != 0)
                {
                    Assert.True(s_descriptors.ContainsKey(desc), $"descriptor {desc:X2} is not a P6-family one");
                    caches.Add(s_descriptors[desc]);
                }
            }
        }
        // What a memory tester adds up: 16 + 16 KiB of L1 and 512 KiB of L2, a Pentium II's (a Celeron has 0 or 128, a Xeon 1-2 MiB).
        Assert.Equal(32, caches.Where(c => c.Kind is "L1I" or "L1D").Sum(c => c.Size));
        Assert.Equal(512, caches.Where(c => c.Kind == "L2").Sum(c => c.Size));
        Assert.Equal(7, caches.Count);
    }

    [Fact]
    public void Cpuid_HasNoExtendedLeaves_NoBrandString_AndAnswersLeavesBeyondTheMaximumWithLeaf2()
    {
        uint[][] r = Cpuid(2, 0x8000_0000, 0x8000_0002, 4);
        Assert.True(r[1][0] < 0x8000_0000u, "CPUID 80000000h reports extended leaves: a Pentium II has none, so no brand string");
        Assert.Equal(r[0], r[1]); // Intel: a leaf beyond the maximum returns the highest basic leaf
        Assert.Equal(r[0], r[2]);
        Assert.Equal(r[0], r[3]); // leaf 4 is beyond it
    }

    /// <summary>The CR4 bit each CPUID.1:EDX feature defines (SDM vol. 3A 2.5 and table 2-?): feature bit, CR4 bits.</summary>
    private static readonly (int Feature, uint Cr4)[] s_cr4ByFeature =
    {
        (1, (1u << 0) | (1u << 1)), // VME: VME, PVI
        (2, 1u << 3),               // DE: DE
        (3, 1u << 4),               // PSE: PSE
        (4, 1u << 2),               // TSC: TSD
        (6, 1u << 5),               // PAE: PAE
        (7, 1u << 6),               // MCE: MCE
        (13, 1u << 7),              // PGE: PGE
        (24, 1u << 9),              // FXSR: OSFXSR
        (25, 1u << 10),             // SSE: OSXMMEXCPT
    };

    [Fact]
    public void Cr4_AcceptsExactlyTheBitsOfTheFeaturesCpuidReports()
    {
        uint features = Cpuid(1)[0][3];
        uint expected = s_cr4ByFeature.Where(f => (features & (1u << f.Feature)) != 0).Aggregate(0u, (a, f) => a | f.Cr4);
        Assert.Equal(0x2DCu, expected); // TSD DE PSE MCE PGE OSFXSR: the model reports TSC, DE, PSE, MCE, PGE and FXSR
        for (int bit = 0; bit < 32; bit++)
        {
            uint v = 1u << bit;
            var h = new CpuHarness().Code(c =>
            {
                c.mov(eax, v);
                c.mov(cr4, eax);
                c.mov(ebx, cr4);
            });
            if ((expected & v) != 0)
            {
                h.RunToEnd();
                Assert.Equal(v, h.Ebx);
            }
            else
            {
                // Reserved here: VME/PVI, PAE, PCE (no performance counters), OSXMMEXCPT and everything above.
                Assert.Equal((ExceptionVectors.GeneralProtection, 0), h.RunToFault());
            }
        }
    }

    [Theory]
    [InlineData(100_000_000ul)]
    [InlineData(37_000_000ul)]
    [InlineData(250_000_000ul)]
    public void Tsc_MeasuredAgainstThePit_IsThe400MHzOfTheModel_WhateverTheInstructionRate(ulong ips)
    {
        // The calibration Linux and memory testers do: PIT channel 2 in mode 0 for 11 932 counts (10.0002 ms
        // at 1.193182 MHz), gated by port 61h, OUT2 polled in bit 5, RDTSC before and after.
        var h = new CpuHarness(ticksPerSecond: ips);
        _ = new PcBoard(h.Machine, new BoardConfig());
        h.Code(c =>
        {
            var wait = c.CreateLabel();
            c.@in(al, 0x61);
            c.and(al, 0xFC);
            c.or(al, 0x01);      // gate 2 on, speaker off
            c.@out(0x61, al);
            c.mov(al, 0xB0);     // channel 2, low then high byte, mode 0, binary
            c.@out(0x43, al);
            c.mov(al, 11932 & 0xFF);
            c.@out(0x42, al);
            c.mov(al, 11932 >> 8);
            c.@out(0x42, al);    // counting starts
            c.rdtsc();
            c.mov(esi, eax);
            c.mov(edi, edx);
            c.Label(ref wait);
            c.@in(al, 0x61);
            c.test(al, 0x20);    // OUT2 goes high at terminal count
            c.jz(wait);
            c.rdtsc();
            c.sub(eax, esi);
            c.sbb(edx, edi);
        });
        h.RunToEnd(maxInstructions: 10_000_000); // 10 ms of guest time is 2.5 M instructions at the fastest rate here
        ulong cycles = ((ulong)h.Edx << 32) | h.Eax;
        double mhz = cycles / (11932 / 1_193_182.0) / 1e6;
        Assert.InRange(mhz, 399.0, 401.0);
    }

    [Fact]
    public void TscMsr_WritesAndReadsTheCounterRdtscReturns()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(ecx, 0x10);
            c.mov(eax, 0);
            c.mov(edx, 0x100);  // TSC = 1 << 40
            c.wrmsr();
            c.rdtsc();
            c.mov(esi, eax);
            c.mov(edi, edx);
            c.mov(ecx, 0x10);
            c.rdmsr();
        }).RunToEnd();
        Assert.Equal(0x100u, h.Cpu.R[Reg.Edi]);
        Assert.InRange(h.Cpu.R[Reg.Esi], 1u, 64u);            // a few instructions at 4 cycles each (100 MHz clock, 400 MHz TSC)
        Assert.InRange(h.Eax - h.Cpu.R[Reg.Esi], 1u, 64u);    // RDMSR 10h reads the same counter, a little later
    }
}
