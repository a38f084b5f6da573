using Iced.Intel;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// A bare machine for instruction tests: 16 MiB of RAM, flat 32-bit protected mode (or real
/// mode), code assembled with Iced's assembler at <see cref="CodeBase"/>, run until HLT with
/// interrupts disabled. An IDT whose every vector points at a HLT stub records faults.
/// </summary>
internal sealed class CpuHarness
{
    public const uint CodeBase = 0x10000;
    public const uint StackTop = 0x80000;
    public const uint GdtBase = 0x500;
    public const uint IdtBase = 0x1000;
    public const uint FaultStubs = 0x3000; // vector v's handler is a HLT at FaultStubs + v

    public PcMachine Machine { get; }

    public Emulator.Processor.Cpu Cpu => Machine.Cpu;

    /// <summary>Puts the CPU in flat 32-bit protected mode with ring-0 and ring-3 flat segments and an IDT of HLT stubs; the guest clock runs at <paramref name="ticksPerSecond"/>.</summary>
    public CpuHarness(bool protectedMode = true, ulong ticksPerSecond = PcMachine.DefaultTicksPerSecond)
    {
        Machine = new PcMachine(16u << 20, ticksPerSecond);
        if (!protectedMode)
        {
            return;
        }
        // GDT: null, code0 0x08, data0 0x10, code3 0x18, data3 0x20, tss 0x28
        WriteDescriptor(1, 0x00CF_9A00_0000_FFFFul);
        WriteDescriptor(2, 0x00CF_9200_0000_FFFFul);
        WriteDescriptor(3, 0x00CF_FA00_0000_FFFFul);
        WriteDescriptor(4, 0x00CF_F200_0000_FFFFul);
        Cpu.GdtBase = GdtBase;
        Cpu.GdtLimit = 0x7F;
        for (int v = 0; v < 256; v++)
        {
            uint handler = FaultStubs + (uint)v;
            Machine.Memory.Write8(handler, 0xF4); // HLT
            ulong gate = (handler & 0xFFFF) | (0x08ul << 16) | (0x8Eul << 40) | ((ulong)(handler >> 16) << 48);
            Machine.Memory.Write32(IdtBase + (uint)v * 8, (uint)gate);
            Machine.Memory.Write32(IdtBase + (uint)v * 8 + 4, (uint)(gate >> 32));
        }
        Cpu.IdtBase = IdtBase;
        Cpu.IdtLimit = 0x7FF;
        Cpu.WriteCr0ForBoot(ControlRegs.Cr0PE);
        Cpu.LoadFlatSegment(SegReg.Cs, 0x08, code: true);
        foreach (int s in new[] { SegReg.Ds, SegReg.Es, SegReg.Fs, SegReg.Gs, SegReg.Ss })
        {
            Cpu.LoadFlatSegment(s, 0x10, code: false);
        }
        Cpu.R[Reg.Esp] = StackTop;
        Cpu.SetFlags(EFlags.Reserved1);
    }

    public void WriteDescriptor(int index, ulong raw)
    {
        Machine.Memory.Write32(GdtBase + (uint)index * 8, (uint)raw);
        Machine.Memory.Write32(GdtBase + (uint)index * 8 + 4, (uint)(raw >> 32));
    }

    /// <summary>Assembles with Iced at <see cref="CodeBase"/> (a HLT is appended) and sets EIP there.</summary>
    public CpuHarness Code(Action<Assembler> build, int bitness = 32)
    {
        var a = new Assembler(bitness);
        build(a);
        a.hlt();
        using var ms = new MemoryStream();
        a.Assemble(new StreamCodeWriter(ms), CodeBase);
        Machine.Memory.WriteBytes(CodeBase, ms.ToArray());
        Cpu.Eip = CodeBase - Cpu.Seg[SegReg.Cs].Base;
        return this;
    }

    /// <summary>Assembles code at a fixed <paramref name="address"/> (no HLT appended), for targets the main code jumps to by address.</summary>
    public CpuHarness Place(uint address, Action<Assembler> build)
    {
        var a = new Assembler(32);
        build(a);
        using var ms = new MemoryStream();
        a.Assemble(new StreamCodeWriter(ms), address);
        Machine.Memory.WriteBytes(address, ms.ToArray());
        return this;
    }

    /// <summary>Where tests place ring-3 code.</summary>
    public const uint UserCode = 0x18000;

    /// <summary>Pushes an IRET frame to ring 3 at <see cref="UserCode"/> with a ring-3 stack at 0x70000, after loading TR with selector 0x28.</summary>
    public static void EnterRing3(Assembler c)
    {
        c.mov(AssemblerRegisters.eax, 0x28);
        c.ltr(AssemblerRegisters.ax);
        c.push(0x23);
        c.push(0x70000);
        c.push(0x2);
        c.push(0x1B);
        c.push(UserCode);
        c.iretd();
    }

    /// <summary>Installs a 32-bit TSS at 0x6000 as GDT entry 5 (selector 0x28), with the ring-0 stack at <see cref="StackTop"/> and <paramref name="ioBitmapBytes"/> of I/O bitmap.</summary>
    public void InstallTss(int ioBitmapBytes = 0, byte bitmapFill = 0xFF)
    {
        const uint tss = 0x6000;
        Machine.Memory.Write32(tss + 4, StackTop);
        Machine.Memory.Write32(tss + 8, 0x10);
        Machine.Memory.Write16(tss + 0x66, 0x68);
        for (uint i = 0; i < ioBitmapBytes; i++)
        {
            Machine.Memory.Write8(tss + 0x68 + i, bitmapFill);
        }
        ulong limit = (ulong)(0x67 + ioBitmapBytes);
        WriteDescriptor(5, 0x0000_8900_0000_0000ul | ((ulong)tss << 16) | limit);
    }

    /// <summary>Runs until the guest halts with interrupts off (or the instruction budget ends). Returns the stop result.</summary>
    public RunResult Run(ulong maxInstructions = 1_000_000) => Machine.Run(new RunLimits(maxInstructions));

    /// <summary>Runs and requires that the code reached its final HLT without a fault.</summary>
    public CpuHarness RunToEnd(ulong maxInstructions = 1_000_000)
    {
        int fault = -1;
        Cpu.ExceptionRaised = (v, _) => fault = fault < 0 ? v : fault;
        RunResult r = Run(maxInstructions);
        Assert.True(fault < 0, $"unexpected {ExceptionVectors.Name(fault)} at EIP {Cpu.Eip:X8}");
        Assert.Equal(StopReason.HaltedForever, r.Reason);
        return this;
    }

    /// <summary>Runs and returns the first exception vector and error code the code raised.</summary>
    public (int Vector, int ErrorCode) RunToFault()
    {
        int vector = -1, code = -1;
        Cpu.ExceptionRaised = (v, e) =>
        {
            if (vector < 0)
            {
                vector = v;
                code = e;
            }
        };
        Run();
        Assert.True(vector >= 0, "expected an exception, none was raised");
        return (vector, code);
    }

    public uint Flags => Cpu.GetFlags();

    public uint Eax => Cpu.R[Reg.Eax];

    public uint Ebx => Cpu.R[Reg.Ebx];

    public uint Ecx => Cpu.R[Reg.Ecx];

    public uint Edx => Cpu.R[Reg.Edx];

    /// <summary>Status flags as a compact string such as "CF ZF" for readable assertions.</summary>
    public static string StatusFlags(uint f, uint mask = EFlags.Arith)
    {
        var parts = new List<string>();
        if ((f & mask & EFlags.CF) != 0) parts.Add("CF");
        if ((f & mask & EFlags.PF) != 0) parts.Add("PF");
        if ((f & mask & EFlags.AF) != 0) parts.Add("AF");
        if ((f & mask & EFlags.ZF) != 0) parts.Add("ZF");
        if ((f & mask & EFlags.SF) != 0) parts.Add("SF");
        if ((f & mask & EFlags.OF) != 0) parts.Add("OF");
        return string.Join(' ', parts);
    }
}
