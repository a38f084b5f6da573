using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Reports;

/// <summary>
/// topology.svg needs Graphviz's `dot`. Without it on PATH, the default formats skip the SVG with
/// one line saying why, `--format svg` asked for by name is refused before any work (exit code 2),
/// and a `dot` that fails is named with its first error line (it used to write nothing and say
/// nothing). Runs the CLI with a PATH that has no `dot`, or a stand-in `dot` script.
/// </summary>
public sealed class GraphvizSvgTests : IDisposable
{
    private const string Missing = "Graphviz's `dot` program is not on PATH (install graphviz; topology.dot holds the same graph)";

    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-svg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>This process's PATH without the folders that hold a `dot`, with <paramref name="first"/> in front.</summary>
    private static Dictionary<string, string> PathWithoutDot(string? first = null)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(d => !File.Exists(Path.Combine(d, "dot"))).ToList();
        if (first is not null)
        {
            dirs.Insert(0, first);
        }
        return new Dictionary<string, string> { ["PATH"] = string.Join(':', dirs) };
    }

    private static ProcessRunner.Result Cli(Dictionary<string, string> env, params string[] args) =>
        ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") }.Concat(args), TimeSpan.FromMinutes(2), env);

    private string ModelTrace() => TraceRunner.Run(P("t.m318")).TracePath;

    /// <summary>A stand-in `dot` in its own folder: a shell script with <paramref name="body"/>.</summary>
    private string FakeDot(string name, string body)
    {
        string bin = Directory.CreateDirectory(P(name)).FullName;
        string dot = Path.Combine(bin, "dot");
        File.WriteAllText(dot, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return bin;
    }

    [Fact]
    public void Analyze_WithoutDot_SkipsTheSvgInOneLine_AndRefusesAnSvgAskedForByName()
    {
        string trace = ModelTrace();
        var r = Cli(PathWithoutDot(), "analyze", trace, "--out-dir", P("default"));
        Assert.Equal((0, $"minix318emu: topology.svg not written: {Missing}\n"), (r.ExitCode, r.Stderr));
        Assert.False(File.Exists(P("default/topology.svg")));
        Assert.False(File.Exists(P("default/topology.svg.partial")));
        Assert.True(File.Exists(P("default/topology.dot")));
        Assert.True(File.Exists(P("default/report.html")));

        r = Cli(PathWithoutDot(), "analyze", trace, "--format", "dot,svg", "--out-dir", P("named"));
        Assert.Equal((2, $"minix318emu: --format svg: {Missing}\n", ""), (r.ExitCode, r.Stderr, r.Stdout));
        Assert.False(Directory.Exists(P("named")));
    }

    [Fact]
    public void Analyze_WithADotThatFails_NamesItAndItsError_AndWithOneThatWorks_WritesItsOutput()
    {
        string trace = ModelTrace();
        // This one exits without reading its input, as dot does at a syntax error (a broken pipe to the writer).
        string failing = FakeDot("failing", "echo 'Error: <stdin>: syntax error in line 3' >&2\nexit 3");
        var r = Cli(PathWithoutDot(failing), "analyze", trace, "--format", "svg,text", "--out-dir", P("f"));
        Assert.Equal((0, $"minix318emu: topology.svg not written: {failing}/dot -Tsvg exited with code 3: Error: <stdin>: syntax error in line 3\n"), (r.ExitCode, r.Stderr));
        Assert.False(File.Exists(P("f/topology.svg")));

        // The graph reaches dot on its standard input; what dot prints is the SVG.
        string working = FakeDot("working", $"/bin/cat > {P("dot-input.txt")}\necho '<svg>laid out</svg>'");
        r = Cli(PathWithoutDot(working), "analyze", trace, "--format", "dot,svg", "--out-dir", P("w"));
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
        Assert.Equal("<svg>laid out</svg>\n", File.ReadAllText(P("w/topology.svg")));
        Assert.Equal(File.ReadAllText(P("w/topology.dot")), File.ReadAllText(P("dot-input.txt")));
    }

    [Fact]
    public void Trace_WithoutDot_SaysWhyThereIsNoSvg()
    {
        var r = Cli(PathWithoutDot(), "trace", "--out", P("out"));
        Assert.Equal(0, r.ExitCode);
        Assert.Single(r.Stderr.Split('\n'), l => l == $"minix318emu: topology.svg not written: {Missing}");
        Assert.False(File.Exists(P("out/topology.svg")));
        Assert.True(File.Exists(P("out/topology.dot")));
    }
}
