using System.Globalization;
using Minix318Emu.Emulator.Machine;
using Spectre.Console;

namespace Minix318Emu.Cli.Progress;

/// <summary>The table drawn at the end of `run` and `trace` on a terminal: how the run ended and what it did.</summary>
public static class RunSummaryTable
{
    /// <summary>The table for a run that ended with <paramref name="result"/> at <paramref name="end"/>, with extra rows (trace, reports, state).</summary>
    public static Table Build(RunResult result, RunCounters end, IEnumerable<(string Name, string Value)>? extra = null)
    {
        var t = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
        void Row(string name, string value) => t.AddRow(new Text(name), new Text(value));
        Row("ended", $"{result.Reason}: {result.Message}");
        Row("guest time", string.Create(CultureInfo.InvariantCulture, $"{end.GuestNanoseconds / 1e9:0.000000} s"));
        Row("instructions", result.Instructions.ToString("N0", CultureInfo.InvariantCulture));
        Row("host time", string.Create(CultureInfo.InvariantCulture, $"{result.Elapsed.TotalSeconds:0.00} s"));
        Row("speed", string.Create(CultureInfo.InvariantCulture, $"{result.Mips:0.0} MIPS"));
        if (end.Calls is long calls)
        {
            Row("traced calls", calls.ToString("N0", CultureInfo.InvariantCulture));
        }
        if (end.TraceBytes is long bytes)
        {
            Row("trace bytes", $"{bytes.ToString("N0", CultureInfo.InvariantCulture)} ({StatusText.Bytes(bytes)})");
        }
        if (end.Compiler is { } c)
        {
            Row("compiled tier", Describe(c));
        }
        foreach (var (name, value) in extra ?? [])
        {
            Row(name, value);
        }
        return t;
    }

    /// <summary>One line on what the compiled tier did.</summary>
    public static string Describe(Emulator.Processor.Compiler.CompilerStatistics c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.BlocksCompiled:N0} blocks compiled ({c.IlBytes:N0} IL bytes, {c.CompileMilliseconds:0} ms on the compile thread, {c.CacheFlushes} cache flushes); {c.CompiledRuns * 100.0 / Math.Max(1, c.CompiledRuns + c.InterpretedRuns):0.0} % of {c.CompiledRuns + c.InterpretedRuns:N0} block runs compiled, {c.ChainedRuns * 100.0 / Math.Max(1, c.CompiledRuns):0.0} % of those entered through a link{(c.BlocksChecked + c.BlocksUnchecked > 0 ? $"; checked against the interpreter: {c.BlocksChecked:N0} runs, {c.BlocksUnchecked:N0} not (devices, translation or mode changes)" : "")}{(c.CompileFailures > 0 ? $"; {c.CompileFailures} COMPILE FAILURES, last: {c.LastCompileFailure}" : "")}");
}
