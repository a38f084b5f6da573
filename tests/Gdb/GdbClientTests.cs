using System.Diagnostics;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Gdb;

/// <summary>The real gdb against the stub, in batch mode, on the gdbtarget guest (built with -g).</summary>
public sealed class GdbClientTests
{
    private static string? Gdb => Repo.Which("gdb");

    private static string Script(int port, params string[] commands) =>
        string.Join('\n', new[] { "set pagination off", "set confirm off", $"file {Repo.Guest("gdbtarget")}", $"target remote 127.0.0.1:{port}" }.Concat(commands)) + "\n";

    private static ProcessRunner.Result RunGdb(string script)
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, script);
        try
        {
            return ProcessRunner.Run(Gdb!, new[] { "-batch", "-nx", "-x", path }, TimeSpan.FromMinutes(2));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void BreakBacktracePrintStepNextWatchRegistersMemoryDetach()
    {
        Skip.If(Gdb is null, "gdb is not installed");
        using var f = new GdbFixture();
        var r = RunGdb(Script(f.Port,
            "info registers eip",
            "break sum_to",
            "continue",
            "bt",
            "print n",
            "print counter",
            "next",
            "next",
            "print total",
            "stepi",
            "watch counter",
            "continue",
            "delete",
            "set var $eax = 0x12345678",
            "print/x $eax",
            "set var results[3] = 0xabcd",
            "print/x results[3]",
            "x/2xw &results",
            "monitor info registers",
            "finish",
            "detach"));
        string o = r.Stdout + r.Stderr;
        Assert.Contains("<_start>", o);                                  // stopped before the first instruction
        Assert.Contains("Breakpoint 1, sum_to (n=10)", o);
        Assert.Matches(@"#1 +0x[0-9a-f]+ in kmain \(magic=732803074", o); // 0x2BADB002 as the multiboot magic
        Assert.Contains("$1 = 10", o);                                  // a parameter
        Assert.Contains("$2 = 0", o);                                   // a global before any increment
        Assert.Contains("$3 = 0", o);                                   // a local after two lines
        Assert.Contains("Hardware watchpoint 2: counter", o);
        Assert.Contains("Old value = 0", o);
        Assert.Contains("New value = 1", o);
        Assert.Contains("= 0x12345678", o);
        Assert.Contains("= 0xabcd", o);
        Assert.Matches(@"<results>:\s+0x00000000\s+0x00000000", o);
        Assert.Contains("CR0=00000011", o);                              // monitor output: protected mode, no paging
        Assert.Contains("Value returned is $", o);                        // finish: sum_to(10) returned
        Assert.Contains("= 55", o);
        Assert.Contains("detached", o);
        // After detach the guest runs on and spins until released: still running, not exited.
        Assert.False(f.Run.Wait(TimeSpan.FromMilliseconds(300)));
        Assert.Contains("gdbtarget: start", f.Serial);
    }

    [SkippableFact]
    public void CtrlC_InterruptsARunningGuest_AndTheGuestCanBeReleased()
    {
        Skip.If(Gdb is null, "gdb is not installed");
        Skip.If(Repo.Which("kill") is null, "kill is needed to deliver SIGINT to gdb");
        using var f = new GdbFixture(waitAtStart: false);
        string path = Path.GetTempFileName();
        File.WriteAllText(path, Script(f.Port, "continue", "print release", "set var release = 1", "continue"));
        try
        {
            var psi = new ProcessStartInfo(Gdb!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "-batch", "-nx", "-x", path })
            {
                psi.ArgumentList.Add(a);
            }
            using var gdb = Process.Start(psi)!;
            var stdout = gdb.StandardOutput.ReadToEndAsync();
            // Wait until gdb is in its "continue" (the guest spins), then press Ctrl-C as a user would.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (f.Server.Session.PacketsHandled < 8 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
            Thread.Sleep(500);
            ProcessRunner.Run("kill", new[] { "-INT", gdb.Id.ToString() }, TimeSpan.FromSeconds(10));
            Assert.True(gdb.WaitForExit(60_000), "gdb did not finish");
            string o = stdout.Result;
            Assert.Contains("Program received signal SIGINT", o);
            Assert.Contains("$1 = 0", o);
            Assert.Contains("exited with code 01", o);
            Assert.True(f.Run.Wait(TimeSpan.FromSeconds(30)));
            Assert.Equal(StopReason.GuestExit, f.Run.Result.Reason);
            Assert.Contains("gdbtarget: released", f.Serial);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
