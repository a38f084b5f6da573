using Minix318Emu.Cli.Scripting;

namespace Minix318Emu.Tests.Scripting;

/// <summary>Console scripts as written: the file format, the --expect/--send order, escapes, durations and their errors.</summary>
public sealed class ConsoleScriptTests
{
    [Fact]
    public void File_StepsKeepTheirOrderTextAndTimeouts()
    {
        ConsoleScript s = ConsoleScript.Parse(new[]
        {
            "# log in", "", "expect login:", "sendline root", "timeout 2.5s", "expect \"# \"", "send \"ls /\\n\"", "wait 250ms", "stop",
        }, "t");
        Assert.Collection(s.Steps,
            x => Assert.Equal(new ConsoleStep(ConsoleStepKind.Expect, "login:", 0, ConsoleScript.DefaultTimeoutNanoseconds), x),
            x => Assert.Equal(new ConsoleStep(ConsoleStepKind.Send, "root\r", 0, 0), x),
            x => Assert.Equal(new ConsoleStep(ConsoleStepKind.Expect, "# ", 0, 2_500_000_000), x),
            x => Assert.Equal(new ConsoleStep(ConsoleStepKind.Send, "ls /\n", 0, 0), x),
            x => Assert.Equal(new ConsoleStep(ConsoleStepKind.Wait, "", 250_000_000, 0), x),
            x => Assert.Equal(ConsoleStepKind.Stop, x.Kind));
    }

    [Theory]
    [InlineData("expect", "t:1: expect needs a text")]
    [InlineData("send \"abc", "t:1: the quoted text has no closing quote")]
    [InlineData("send \"a\" b", "t:1: text after the closing quote: 'b'")]
    [InlineData("wait 5 minutes", "t:1: '5 minutes' is not a duration (a number and ns, us, ms or s, e.g. 500ms)")]
    [InlineData("timeout -1s", "t:1: '-1s' is not a duration (a number and ns, us, ms or s, e.g. 500ms)")]
    [InlineData("type root", "t:1: unknown step 'type' (expected expect, send, sendline, wait, timeout or stop)")]
    [InlineData("send a\\q", "t:1: unknown escape \\q")]
    [InlineData("send \\x4", "t:1: \\x at offset 0 needs two hexadecimal digits")]
    [InlineData("stop now", "t:1: stop takes nothing after it")]
    public void BadLines_NameTheLineAndTheProblem(string line, string message)
    {
        var e = Assert.Throws<FormatException>(() => ConsoleScript.Parse(new[] { line }, "t"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Escapes_DecodeAndEncodeBack()
    {
        Assert.Equal("a\r\n\t\x1B\\\"\x01", TextEscapes.Decode(@"a\r\n\t\e\\\""\x01"));
        Assert.Equal(@"login: \r\n\x01", TextEscapes.Encode("login: \r\n\x01"));
    }

    [Theory]
    [InlineData("100ns", 100ul)]
    [InlineData("3us", 3_000ul)]
    [InlineData("2ms", 2_000_000ul)]
    [InlineData("1.5s", 1_500_000_000ul)]
    public void Durations_TakeTheirUnits(string text, ulong ns) => Assert.Equal(ns, ConsoleScript.Duration(text));

    [Fact]
    public void Arguments_KeepCommandLineOrderAcrossTheTwoOptions()
    {
        ConsoleScript s = ConsoleScript.FromArguments(new[]
        {
            "run", "--expect", "login: ", "--kernel", "k", "--send", "root\\r", "--expect=# ", "--send=exit\\r",
        })!;
        Assert.Equal(new[] { "expect:login: ", "send:root\r", "expect:# ", "send:exit\r" },
            s.Steps.Select(x => $"{x.Kind.ToString().ToLowerInvariant()}:{x.Text}"));
        Assert.Null(ConsoleScript.FromArguments(new[] { "run", "--kernel", "k" }));
        Assert.Equal("--expect needs a text", Assert.Throws<FormatException>(() => ConsoleScript.FromArguments(new[] { "--expect" })).Message);
        Assert.Equal("--send: the text is empty", Assert.Throws<FormatException>(() => ConsoleScript.FromArguments(new[] { "--send", "" })).Message);
    }
}
