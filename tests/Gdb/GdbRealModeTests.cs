using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Gdb;

/// <summary>
/// The real gdb against the stub in real mode, on the rom guest started from the reset vector:
/// a breakpoint set by linear address (CS base + IP) in the F000 segment must stop the guest
/// there, and gdb must show the stop (not take it for a breakpoint it removed and resume).
/// </summary>
public sealed class GdbRealModeTests
{
    private static string Rom => Path.Combine(Repo.Guests, "bin", "rom.bin");

    /// <summary>The offset in the F000 segment of the first <paramref name="pattern"/> in the 64 KiB rom image.</summary>
    private static int OffsetOf(byte[] image, params byte[] pattern) => image.AsSpan().IndexOf(pattern);

    [SkippableFact]
    public void BreakpointAtALinearAddressInTheF000Segment_Stops_ThenContinues()
    {
        string? gdbPath = Repo.Which("gdb");
        Skip.If(gdbPath is null, "gdb is not installed");
        byte[] rom = File.ReadAllBytes(Rom);
        Assert.Equal(0x10000, rom.Length);
        int inA20 = OffsetOf(rom, 0xE4, 0x92);   // in al, 0x92 (real mode, before the switch)
        int outA20 = OffsetOf(rom, 0xE6, 0x92);  // out 0x92, al
        Assert.True(inA20 > 0 && outA20 > inA20);
        using var f = new GdbFixture(sink => MachineFactory.BootFirmware(rom, 16u << 20, new BoardConfig { Com1Sink = sink }));
        string script = string.Join('\n',
            "set pagination off", "set confirm off", "set architecture i8086",
            $"target remote 127.0.0.1:{f.Port}",
            "info registers cs eip",
            $"break *0x{0xF0000 + inA20:x}",
            $"hbreak *0x{0xF0000 + outA20:x}",
            "continue",
            "info registers cs eip",
            "continue",
            "info registers cs eip",
            "continue") + "\n";
        string path = Path.GetTempFileName();
        File.WriteAllText(path, script);
        ProcessRunner.Result r;
        try
        {
            r = ProcessRunner.Run(gdbPath!, new[] { "-batch", "-nx", "-x", path }, TimeSpan.FromMinutes(2));
        }
        finally
        {
            File.Delete(path);
        }
        string o = r.Stdout + r.Stderr;
        var eips = System.Text.RegularExpressions.Regex.Matches(o, @"eip\s+0x([0-9a-f]+)").Select(m => Convert.ToInt32(m.Groups[1].Value, 16)).ToList();
        var css = System.Text.RegularExpressions.Regex.Matches(o, @"cs\s+0x([0-9a-f]+)").Select(m => Convert.ToInt32(m.Groups[1].Value, 16)).ToList();
        Assert.True(eips.Count == 3, o);
        Assert.Equal(0xFFF0, eips[0]);                                  // the reset vector
        Assert.Equal(new[] { 0xF000, 0xF000, 0xF000 }, css);
        Assert.Equal(inA20, eips[1]);                                   // the software breakpoint, at F000:IP
        Assert.Equal(outA20, eips[2]);                                  // the hardware one
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(o, "SIGTRAP").Count);
        Assert.Contains("exited with code 041", o);                     // then on to the end: every check passed (33)
    }
}
