using CsCheck;
using Minix318Emu.Tests.Support;
using Xunit.Abstractions;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>
/// Property: whatever a user types, `minix318emu` returns an exit code — a bad input is a
/// one-line error and exit code 2 — and no exception escapes Program.Main. Argument vectors come
/// from a CsCheck grammar over the verbs that need no network or reference program (run, trace,
/// analyze, image) and every option they take, with values from pools of good, bad and hostile
/// ones (missing files, directories, random bytes as images, configuration files and console
/// scripts, sizes and numbers out of range, contradictory routes), in random order and number.
/// Boots are cut at 20 000 instructions. Fixed PCG streams: the same inputs every CI run.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CommandLineFuzzTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-clifuzz-").FullName;

    public CommandLineFuzzTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, byte[] data)
    {
        string p = Path.Combine(_dir, name);
        System.IO.File.WriteAllBytes(p, data);
        return p;
    }

    private string Text(string name, string text) => File(name, System.Text.Encoding.UTF8.GetBytes(text));

    private Gen<string[]> Arguments()
    {
        var rng = new Random(5);
        byte[] Noise(int n)
        {
            var b = new byte[n];
            rng.NextBytes(b);
            return b;
        }
        string demo = Repo.Guest("demo"), rom = Path.Combine(Repo.Guests, "bin", "rom.bin");
        var bz = new byte[0x1000];
        "HdrS"u8.CopyTo(bz.AsSpan(0x202));
        string[] files =
        [
            demo, rom, "/no/such/file", _dir, "", File("noise.bin", Noise(3000)), File("empty", []), File("bz", bz),
            File("disk.img", new byte[1 << 20]), File("odd.img", new byte[1000]), File("floppy.img", new byte[1_474_560]),
            Text("good.json", "{\"Machine\": {\"Memory\": \"32M\"}}"), Text("bad.json", "{\"Machine\": {\"Memory\": }"), Text("wrong.json", "{\"Machine\": {\"MaxInstructions\": \"lots\"}}"),
            Text("script.txt", "expect \"demo\"\nsend \"x\\n\"\nstop\n"), Text("badscript.txt", "expect\nsend \"\n"),
            Text("profile.json", "{\"Name\": \"p\", \"Functions\": [{\"Symbol\": \"kmain\", \"Role\": \"Alloc\", \"Size\": \"arg0*\"}]}"),
            File("trace.m318", Noise(5000)),
        ];
        Gen<string> file = Gen.OneOf(files);
        Gen<string> junk = Gen.Frequency((3, Gen.String), (1, Gen.OneOf("", " ", "-", "--", "\0", "%s", "\u00e9\u4e2d")));
        (string Option, Gen<string>? Value)[] runOptions =
        [
            ("--kernel", file), ("--module", Gen.Frequency((3, file), (1, file.Select(f => f + " a b")))), ("--append", junk),
            ("--memory", Gen.OneOf("16M", "64M", "12X", "1M", "0", "4G", "2048M", "65536K", "-1", "1e9", "")), ("--serial", Gen.OneOf("none", "tcp:1", "", "file:", "file:" + Path.Combine(_dir, "con.txt"), "file:" + Path.Combine(_dir, "no", "such", "dir", "x"))),
            ("--disk", Gen.Frequency((3, file), (1, file.Select(f => f + ",slot=primary-slave")), (1, file.Select(f => f + ",slot=nowhere")), (1, file.Select(f => f + ",x=y")))),
            ("--floppy", Gen.Frequency((3, file), (1, file.Select(f => f + ",wp")), (1, file.Select(f => f + ",ro")))),
            ("--initrd", file), ("--bios", file), ("--debugcon", Gen.OneOf("0xe9", "0x402", "zz", "0xe9,file:" + Path.Combine(_dir, "dbg.txt"), "0xe9,tcp:1", "70000", "")),
            ("--no-apic", null), ("--no-acpi", null), ("--persist", null), ("--realtime", null),
            ("--rtc-start", Gen.OneOf("host", "2026-02-30", "1960-01-01T00:00:00", "2030-06-01T12:00:00Z", "yesterday", "")),
            ("--screen", Gen.OneOf(Path.Combine(_dir, "screen.txt"), Path.Combine(_dir, "no", "such", "dir", "screen.txt"), _dir)), ("--keys", junk),
            ("--ips", Gen.OneOf("0", "1", "100000000", "-5", "abc", "18446744073709551615", "")), ("--timeout", Gen.OneOf("0", "-1", "NaN", "1e308", "0.5", "x")),
            ("--log-level", Gen.OneOf("warning", "verbose", "loud", "")), ("--config", file), ("--console-script", file),
            ("--expect", junk), ("--send", junk), ("--boot-entry", Gen.OneOf("0", "1", "-1", "x", "99")),
        ];
        (string Option, Gen<string>? Value)[] traceOnly = [("--profile", Gen.Frequency((2, Gen.OneOf("minix3", "minix318", "nope")), (1, file))), ("--symbols", file), ("--out", Gen.OneOf(Path.Combine(_dir, "out"), Path.Combine(files[5], "out"), files[5]))];
        Gen<string[]> OptionList((string Option, Gen<string>? Value)[] options) =>
            Gen.Int[0, options.Length - 1].SelectMany(i => options[i].Value is { } v ? v.Select(x => new[] { options[i].Option, x }) : Gen.Const(new[] { options[i].Option }))
                .Array[0, 6].Select(a => a.SelectMany(x => x).ToArray());
        Gen<string[]> run = OptionList(runOptions).Select(a => new[] { "run", "--max-instructions", "20000" }.Concat(a).ToArray());
        Gen<string[]> trace = OptionList(runOptions.Concat(traceOnly).ToArray()).Select(a => new[] { "trace", "--max-instructions", "20000", "--out", Path.Combine(_dir, "t") }.Concat(a).ToArray());
        Gen<string[]> analyze = Gen.Select(file, Gen.OneOf("json", "text,dot", "nope", "", "json,json,md"), (f, fmt) => new[] { "analyze", f, "--format", fmt, "--out-dir", Path.Combine(_dir, "a") });
        Gen<string[]> image = Gen.Select(Gen.OneOf("info", "ls", "cat", "extract", "bootcfg", "nope", ""), file, Gen.OneOf("/", "/etc/rc", "../..", "", "/a/b/c"),
            (v, f, p) => new[] { "image", v, f, p, Path.Combine(_dir, "x") });
        Gen<string[]> raw = junk.Array[0, 5];
        return Gen.Frequency((5, run), (3, trace), (1, analyze), (1, image), (1, raw));
    }

    [Fact]
    public void RandomCommandLines_EndWithAnExitCode_NeverAnException()
    {
        Gen<string[]> gen = Arguments();
        int cases = FuzzBudget.Cases(400), usage = 0;
        TextWriter stdout = Console.Out, stderr = Console.Error;
        try
        {
            Console.SetOut(TextWriter.Null);
            for (int i = 0; i < cases; i++)
            {
                string[] args = gen.Generate(new PCG(41, (ulong)i), null, out _);
                var errors = new StringWriter();
                Console.SetError(errors);
                int code;
                try
                {
                    code = Minix318Emu.Cli.Program.Main(args);
                }
                catch (Exception e)
                {
                    Assert.Fail($"case {i}: minix318emu {string.Join(' ', args.Select(a => $"'{a}'"))} threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                    return;
                }
                if (code == 2 && args.Length > 0 && args[0] is "run" or "trace" or "analyze" or "image")
                {
                    // A refused command line is one line naming the problem (the parser's own help text for unknown verbs aside).
                    string text = errors.ToString();
                    Assert.True(text.StartsWith("minix318emu: ", StringComparison.Ordinal) && text.IndexOf('\n') == text.Length - 1 || text.Contains("ERROR(S)", StringComparison.Ordinal),
                        $"case {i}: minix318emu {string.Join(' ', args.Select(a => $"'{a}'"))} said:\n{text}");
                    usage++;
                }
                else if (code == 2)
                {
                    usage++;
                }
            }
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
        _output.WriteLine($"{cases} command lines: {usage} refused as bad input (exit code 2), the rest ran");
        Assert.InRange(usage, cases / 10, cases - cases / 10);
    }
}
