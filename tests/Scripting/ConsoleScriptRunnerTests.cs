using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Scripting;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Scripting;

/// <summary>
/// The script player on a live guest (the demo guest, which prints a banner and exits): expects
/// match transmitted text, sends reach the UART's receive line, stop and expect timeouts end the
/// run with their own reasons, at the guest tick the text appeared.
/// </summary>
public sealed class ConsoleScriptRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-script-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (RunResult Result, Session Session, string Console) Play(params string[] script)
    {
        string console = Path.Combine(_dir, "console.txt");
        var s = new EmulatorSettings { Kernel = Repo.Guest("demo"), Serial = "file:" + console, MaxInstructions = 50_000_000 };
        Session session = SessionBuilder.Build(s, new SessionRequest { ArgumentScript = ConsoleScript.Parse(script, "t"), HostInput = false });
        RunResult r;
        using (session)
        {
            r = session.Run();
        }
        return (r, session, File.ReadAllText(console));
    }

    [Fact]
    public void Stop_AfterAnExpect_EndsTheRunWhereTheTextAppeared()
    {
        var (r, session, console) = Play("expect \"demo guest\"", "stop");
        Assert.Equal(StopReason.ScriptStopped, r.Reason);
        Assert.EndsWith("demo guest", console); // nothing after the awaited text was transmitted
        Assert.True(session.Script!.Finished);
        Assert.Equal(0, Minix318Emu.Cli.Commands.ExitCodes.For(r));
    }

    [Fact]
    public void Send_PutsTheTextOnTheReceiveLine()
    {
        var (r, session, _) = Play("expect \"demo guest\"", "send \"ab\"", "stop");
        Assert.Equal(StopReason.ScriptStopped, r.Reason);
        var uart = session.Pc.Board.Com1;
        Assert.Equal(1u, uart.Read(0x3FD, 1) & 1);   // LSR: data ready
        Assert.Equal((uint)'a', uart.Read(0x3F8, 1));
        Assert.Equal((uint)'b', uart.Read(0x3F8, 1));
        Assert.Equal(0u, uart.Read(0x3FD, 1) & 1);
    }

    [Fact]
    public void Expect_ThatNeverComes_EndsTheRunAtItsGuestTimeBound()
    {
        var (r, session, _) = Play("timeout 20us", "expect \"no such text\"");
        Assert.Equal(StopReason.ExpectTimeout, r.Reason);
        Assert.Equal("console script step 1 (expect \"no such text\") not seen within 20 us of guest time", r.Message);
        Assert.InRange(session.Machine.Clock.NowNanoseconds, 20_000ul, 21_000ul);
        Assert.Equal(16, Minix318Emu.Cli.Commands.ExitCodes.For(r));
    }

    [Fact]
    public void Wait_LetsGuestTimePassBeforeTheNextStep()
    {
        var (r, session, _) = Play("wait 30us", "stop");
        Assert.Equal(StopReason.ScriptStopped, r.Reason);
        Assert.InRange(session.Machine.Clock.NowNanoseconds, 30_000ul, 31_000ul);
    }

    [Fact]
    public void SerialFile_HoldsAPromptWithoutNewline_WhileTheRunGoesOn()
    {
        // The sink writes each byte through: what the guest has transmitted is in the file before the run ends.
        string console = Path.Combine(_dir, "live.txt");
        var s = new EmulatorSettings { Kernel = Repo.Guest("demo"), Serial = "file:" + console };
        using Session session = SessionBuilder.Build(s, new SessionRequest { HostInput = false });
        session.Pc.Board.Com1.Write(0x3F8, 1, 'o');
        session.Pc.Board.Com1.Write(0x3F8, 1, 'k');
        using var reader = new FileStream(console, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Assert.Equal("ok", new StreamReader(reader).ReadToEnd());
    }
}
