using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// Issue 14, finding 7: in a small ROM, <c>out dx, al; hlt</c> with IF = 0 was reported to repeat
/// the OUT until the time limit. Not reproduced; these pin the right behaviour for every variant
/// tried (the machine stops with exit 10, "halted with interrupts disabled", after exactly one
/// OUT): a 64 KiB ROM from the reset vector whose code after the HLT jumps back to the OUT (so a
/// repeat would show), with the OUT as the last byte of a page and the HLT on the next, with the
/// OUT single-stepped (TF, the #DB handler clearing TF), with the PIT's IRQ 0 pending at the
/// 8259 while halted, and paced to the wall clock (--realtime).
/// </summary>
public sealed class HaltAfterPortOutputTests
{
    private const int OutAt = 0x100;

    public enum Variant { Plain, OutLastByteOfAPage, SingleStepped, IrqPendingWhileHalted, Realtime }

    [Theory]
    [InlineData(Variant.Plain)]
    [InlineData(Variant.OutLastByteOfAPage)]
    [InlineData(Variant.SingleStepped)]
    [InlineData(Variant.IrqPendingWhileHalted)]
    [InlineData(Variant.Realtime)]
    public void OutThenHltWithInterruptsDisabled_StopsAfterOneOut(Variant variant)
    {
        BootedPc pc = MachineFactory.BootFirmware(Rom(variant), 16u << 20, new BoardConfig());
        pc.Machine.Realtime = variant == Variant.Realtime;
        IPortDevice post = pc.Machine.Io.DeviceAt(0x80)!;   // the POST-code port, wrapped
        pc.Machine.Io.Unregister(0x80, 1, post);
        var counter = new CountingPort(post);
        pc.Machine.Io.Register(0x80, 1, counter);
        RunResult r = pc.Machine.Run(new RunLimits(50_000_000, TimeSpan.FromSeconds(60)));
        Assert.Equal(StopReason.HaltedForever, r.Reason);
        Assert.Equal(10, r.ExitCode);
        Assert.Contains("interrupts disabled", r.Message);
        Assert.Equal(1, counter.Writes);
        Assert.Equal(0x55u, counter.Last);
        var cpu = pc.Machine.Cpu;
        Assert.Equal(0u, cpu.R[Emulator.Processor.Reg.Ebx] & 0xFFFF);                // nothing after the HLT ran
        Assert.Equal(variant == Variant.SingleStepped ? 1u : 0u, cpu.R[Emulator.Processor.Reg.Esi] & 0xFFFF); // the #DB handler ran once
        Assert.Equal(variant == Variant.IrqPendingWhileHalted, cpu.InterruptController!.InterruptPending);
    }

    /// <summary>
    /// 64 KiB: the reset vector jumps to F000:0000, which sets up the variant, then DX = 0x80,
    /// AL = 0x55 and reaches <c>out dx, al; hlt; inc bx; jmp out</c>.
    /// </summary>
    private static byte[] Rom(Variant variant)
    {
        var rom = new byte[0x10000];
        Array.Fill(rom, (byte)0xF4);
        var c = new List<byte> { 0xFA, 0x31, 0xDB, 0x31, 0xF6 };      // cli; xor bx, bx; xor si, si
        int outAt = variant == Variant.OutLastByteOfAPage ? 0x0FFF : OutAt;
        if (variant == Variant.IrqPendingWhileHalted)
        {
            // 8259 master: ICW1-4 (vector 8, cascade on IRQ 2, 8086 mode), all masked but IRQ 0;
            // PIT channel 0 in mode 2 with a count of 256: IRQ 0 rises while the CPU is halted.
            foreach (var (port, value) in new (byte, byte)[] { (0x20, 0x11), (0x21, 0x08), (0x21, 0x04), (0x21, 0x01), (0x21, 0xFE), (0x43, 0x34), (0x40, 0x00), (0x40, 0x01) })
            {
                c.AddRange(new byte[] { 0xB0, value, 0xE6, port });  // mov al, value; out port, al
            }
        }
        c.AddRange(new byte[] { 0xBA, 0x80, 0x00, 0xB0, 0x55 });      // mov dx, 0x80; mov al, 0x55
        if (variant == Variant.SingleStepped)
        {
            const int handler = 0x200;                               // #DB: count in SI, clear TF in the saved FLAGS, IRET
            new byte[] { 0x46, 0x55, 0x89, 0xE5, 0x81, 0x66, 0x06, 0xFF, 0xFE, 0x5D, 0xCF }.CopyTo(rom, handler);
            c.AddRange(new byte[] { 0x31, 0xC9, 0x8E, 0xD9 });        // xor cx, cx; mov ds, cx
            c.AddRange(new byte[] { 0xC7, 0x06, 0x04, 0x00, handler & 0xFF, handler >> 8, 0xC7, 0x06, 0x06, 0x00, 0x00, 0xF0 }); // IVT[1] = F000:handler
            c.AddRange(new byte[] { 0xBC, 0x00, 0x80, 0x9C, 0x59, 0x81, 0xC9, 0x00, 0x01, 0x51, 0x9D }); // mov sp, 0x8000; pushf; pop cx; or cx, 0x100; push cx; popf
            outAt = c.Count;                                          // TF traps after the instruction following POPF: the OUT
        }
        else
        {
            int rel = outAt - (c.Count + 3);
            c.AddRange(new byte[] { 0xE9, (byte)rel, (byte)(rel >> 8) }); // jmp near out
        }
        c.CopyTo(rom.AsSpan());
        new byte[] { 0xEE, 0xF4, 0x43, 0xEB, unchecked((byte)-5) }.CopyTo(rom, outAt); // out dx, al; hlt; inc bx; jmp out
        new byte[] { 0xEA, 0x00, 0x00, 0x00, 0xF0 }.CopyTo(rom, 0xFFF0); // reset vector: jmp far F000:0000
        return rom;
    }

    /// <summary>Counts the writes to a port and passes every access on to the device that was there.</summary>
    private sealed class CountingPort(IPortDevice inner) : IPortDevice
    {
        public int Writes { get; private set; }

        public uint Last { get; private set; }

        public uint Read(ushort port, int size) => inner.Read(port, size);

        public void Write(ushort port, int size, uint value)
        {
            Writes++;
            Last = value;
            inner.Write(port, size, value);
        }
    }
}
