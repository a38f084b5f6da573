namespace Minix318Emu.Tests.Support;

/// <summary>Runs a guest under qemu-system-i386 the way the cross-checks compare it: serial on stdout, the exit device on port 0xF4.</summary>
internal static class Qemu
{
    public static ProcessRunner.Result RunKernel(string qemu, string kernel, string memory = "64", params string[] extra) =>
        ProcessRunner.Run(qemu, new[]
        {
            "-m", memory, "-display", "none", "-monitor", "none", "-no-reboot", "-nodefaults",
            "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", kernel,
        }.Concat(extra), TimeSpan.FromMinutes(2));

    /// <summary>
    /// The output without the lines a guest marks "board:" (the firmware's own choices) or "timing:"
    /// (outcomes of host timing under QEMU, whose clocks run in real time), line endings normalised.
    /// </summary>
    public static string WithoutBoardLines(string s) =>
        string.Join("\n", s.Replace("\r", "").Split('\n')
            .Where(l => !l.StartsWith("board:", StringComparison.Ordinal) && !l.StartsWith("timing:", StringComparison.Ordinal)));

    /// <summary>
    /// Runs a bundled guest here and under QEMU (skipping the test without QEMU) and asserts the
    /// same serial output and exit status; <paramref name="extra"/> adds QEMU options.
    /// </summary>
    public static void AssertGuestMatches(string guest, params string[] extra)
    {
        string? qemu = Repo.Which("qemu-system-i386");
        Skip.If(qemu is null, "qemu-system-i386 is not installed");
        var q = RunKernel(qemu!, Repo.Guest(guest), "64", extra);
        var r = GuestRunner.Run(Repo.Guest(guest));
        Assert.Equal(q.Stdout.Replace("\r", ""), r.Serial.Replace("\r", ""));
        Assert.Equal(q.ExitCode, r.Result.ExitCode);
    }
}
