using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>The project's own gcc-built guest kernels booted by multiboot.</summary>
public sealed class GuestTests
{
    [Fact]
    public void Demo_ReadsTheMultibootMemoryInfo_AndExitsWithStatusZero()
    {
        var o = GuestRunner.Run(Repo.Guest("demo"));
        Assert.Equal(StopReason.GuestExit, o.Result.Reason);
        Assert.Equal(1, o.Result.ExitCode); // exit value 0 -> (0 << 1) | 1
        Assert.Contains("minix318emu demo guest", o.Serial);
        // 639 KiB below the EBDA; 256 MiB minus the first MiB above.
        Assert.Contains("memory: 639 KiB low, 261120 KiB high", o.Serial);
        Assert.Contains("modules: 0", o.Serial);
        Assert.EndsWith("goodbye\r\n", o.Serial);
    }

    [Fact]
    public void Demo_SeesMemorySizeAndModules()
    {
        string mod = Path.GetTempFileName();
        File.WriteAllBytes(mod, new byte[5000]);
        try
        {
            var o = GuestRunner.Run(Repo.Guest("demo"), ramMiB: 64, modules: new[] { new ModuleSpec(mod, mod + " a=1"), new ModuleSpec(mod, mod) });
            Assert.Contains("memory: 639 KiB low, 64512 KiB high", o.Serial);
            Assert.Contains("modules: 2", o.Serial);
        }
        finally
        {
            File.Delete(mod);
        }
    }

    /// <summary>
    /// The system half of the selfcheck guest. Each line is fixed by the architecture (the SDM's
    /// error codes, CR2, A/D bits, selector checks) and was also confirmed under QEMU.
    /// </summary>
    [Fact]
    public void Selfcheck_SystemFeatures_BehaveAsTheSdmSays()
    {
        var o = GuestRunner.Run(Repo.Guest("selfcheck"));
        Assert.Equal(StopReason.GuestExit, o.Result.Reason);
        string[] expected =
        {
            "exception 0 error 0x00000000 cpl 0",                        // #DE
            "exception 6 error 0x00000000 cpl 0",                        // #UD
            "exception 13 error 0x00001234 cpl 0",                       // #GP(selector): index and TI of 0x1234
            "exception 13 error 0x00000018 cpl 0",                       // SS <- code segment
            "exception 4 error 0x00000000 cpl 0",                        // INTO with OF
            "exception 5 error 0x00000000 cpl 0",                        // BOUND
            "exception 3 error 0x00000000 cpl 0",                        // INT3
            "exception 14 error 0x00000000 cpl 0 cr2 0x40000010",        // not-present read
            "demand page read: 0xcafef00d",
            "4M alias read: 0x600dbeef",
            "4M pde accessed/dirty: 0x00000060",
            "exception 14 error 0x00000003 cpl 0 cr2 0x40001000",        // CR0.WP supervisor write
            "pte accessed/dirty: 0x00000060",
            "clean pte accessed/dirty: 0x00000000",
            "read pte accessed/dirty: 0x00000020",
            "lsl 0x38: 0x00000fff",
            "lar 0x38: 0x00009200",
            "verr kernel code: 0x00000001",                              // readable code
            "verw kernel code: 0x00000000",                              // code is never writable
            "tss type after ltr: 0x0000000b",                            // LTR marks the TSS busy
            "arpl: 0x00000013",
            "int80: ebx=0x00001111 from cpl 3",
            "sysenter: eax=0x00000002 cs=0x00000008",
            "callgate: param=0x00003333 cpl 0",                          // one parameter copied to the inner stack
            "exception 13 error 0x00000000 cpl 3",                       // CLI at CPL 3 with IOPL 0
            "exception 13 error 0x0000006a cpl 3",                       // INT 13 through a DPL-0 gate: 13*8+2
            "exception 14 error 0x00000005 cpl 3 cr2 0x40002000",        // user read of a supervisor page
            "int80: ebx=0x0000001b from cpl 3",
            "back in kernel, cs: 0x00000008",
            "faults handled: 0x00000011",
            "selfcheck: done",
        };
        var lines = o.Serial.Replace("\r", "").Split('\n').Where(l => !l.StartsWith("cpucheck", StringComparison.Ordinal)).ToList();
        int at = 0;
        foreach (string e in expected)
        {
            int found = lines.IndexOf(e, at);
            Assert.True(found >= 0, $"missing or out of order: \"{e}\"\n--- output ---\n{string.Join('\n', lines)}");
            at = found + 1;
        }
    }

    [Fact]
    public void Runs_AreDeterministic()
    {
        var a = GuestRunner.Run(Repo.Guest("selfcheck"));
        var b = GuestRunner.Run(Repo.Guest("selfcheck"));
        Assert.Equal(a.Serial, b.Serial);
        Assert.Equal(a.Result.Instructions, b.Result.Instructions);
        Assert.Equal(a.Pc.Machine.Cpu.BlocksDecoded, b.Pc.Machine.Cpu.BlocksDecoded);
    }

    [Fact]
    public void FastPathsOff_GiveTheSameOutputAndInstructionCount()
    {
        var fast = GuestRunner.Run(Repo.Guest("selfcheck"));
        var slow = GuestRunner.Run(Repo.Guest("selfcheck"), configure: pc => pc.Machine.Cpu.FastPathsEnabled = false);
        Assert.Equal(fast.Serial, slow.Serial);
        Assert.Equal(fast.Result.Instructions, slow.Result.Instructions);
    }

    [Fact]
    public void InstructionLimit_StopsTheRunExactly()
    {
        var o = GuestRunner.Run(Repo.Guest("bench"), maxInstructions: 12345);
        Assert.Equal(StopReason.LimitReached, o.Result.Reason);
        Assert.Equal(12345ul, o.Result.Instructions);
    }
}
