using CsCheck;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Xunit.Abstractions;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>
/// Property: a damaged trace — cut anywhere, bits flipped or bytes overwritten, or spliced (a
/// range of it left out or repeated) — is either read whole, and then it is the original, or
/// refused with <see cref="TraceFormatException"/>: one line naming the file; and its readable
/// prefix (<see cref="TraceReader.ReadReadablePrefix(string)"/>) is exactly the original's first calls
/// and messages, every complete block before the damage, which the analyzer takes like any
/// trace. Nothing else escapes. The seeds are the committed corpus (tests/Fuzz/corpus/trace,
/// made by <see cref="TraceCorpus"/>); inputs are drawn from fixed PCG streams.
/// </summary>
public sealed class TraceReaderFuzzTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-tfuzz-").FullName;

    public TraceReaderFuzzTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The fields a call is compared by.</summary>
    private static (long, long, int, int, ulong, ulong, ulong, uint, uint) Key(TraceCall c) =>
        (c.Id, c.Parent, c.Function, c.Process, c.Entry, c.Exit, c.Size, c.Pointer, c.Result);

    /// <summary>A splice: bytes [0, Cut) then bytes [Resume, end) of the same trace (Resume below Cut repeats a range, above it leaves one out).</summary>
    private sealed record Splice(int Cut, int Resume)
    {
        public byte[] Apply(byte[] original) => original.AsSpan(0, Cut).ToArray().Concat(original.AsSpan(Resume).ToArray()).ToArray();

        public override string ToString() => $"splice: bytes 0..0x{Cut:X} then 0x{Resume:X}..end";
    }

    /// <summary>Reads <paramref name="damaged"/> both ways and checks the property; returns (refused, salvaged calls or -1).</summary>
    private (bool Refused, int Salvaged) Exercise(TraceFile original, byte[] damaged, string path)
    {
        File.WriteAllBytes(path, damaged);
        bool refused = false;
        try
        {
            TraceFile t = TraceReader.Read(path);
            Assert.Equal(original.Calls.Select(Key), t.Calls.Select(Key));
            Assert.Equal(original.Messages, t.Messages);
        }
        catch (TraceFormatException e)
        {
            Assert.DoesNotContain('\n', e.Message);
            Assert.StartsWith(path + ": ", e.Message);
            refused = true;
        }
        int salvaged = -1;
        try
        {
            TraceFile prefix = TraceReader.ReadReadablePrefix(path);
            Assert.True(prefix.Damage is null == !refused, "the prefix read says damage exactly when the whole read refused the file");
            Assert.Equal(original.Calls.Take(prefix.Calls.Count).Select(Key), prefix.Calls.Select(Key));
            Assert.Equal(original.Messages.Take(prefix.Messages.Count), prefix.Messages);
            if (prefix.Damage is not null)
            {
                Assert.DoesNotContain('\n', prefix.Damage);
                TraceAnalyzer.Analyze(prefix); // a prefix is analysable: calls whose parents or requests were lost included
                salvaged = prefix.Calls.Count;
            }
        }
        catch (TraceFormatException e)
        {
            Assert.True(refused);
            Assert.DoesNotContain('\n', e.Message);
        }
        return (refused, salvaged);
    }

    private void Fuzz(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        TraceFile original = TraceReader.Read(path);
        Assert.Null(original.Damage);
        int cases = FuzzBudget.Cases(300), refused = 0, salvaged = 0, salvagedCalls = 0;
        Gen<ByteMutation> mutations = ByteMutation.For(bytes, 4096);
        Gen<Splice> splices = Gen.Select(Gen.Int[0, bytes.Length], Gen.Int[0, bytes.Length], (a, b) => new Splice(a, b));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < cases; i++)
        {
            var pcg = new PCG(61, (ulong)i);
            string seed = pcg.ToString();
            bool splice = i % 4 == 3;
            object input = splice ? splices.Generate(pcg, null, out _) : mutations.Generate(pcg, null, out _);
            byte[] damaged = input is Splice s ? s.Apply(bytes) : ((ByteMutation)input).Apply(bytes);
            try
            {
                (bool r, int n) = Exercise(original, damaged, path);
                refused += r ? 1 : 0;
                salvaged += n >= 0 ? 1 : 0;
                salvagedCalls += Math.Max(n, 0);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                if (input is ByteMutation)
                {
                    Check.Sample(mutations, m => { Exercise(original, m.Apply(bytes), path); }, seed: seed, iter: 300, threads: 1);
                }
                Assert.Fail($"{name} case {i} (seed {seed}, {input}) threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        _output.WriteLine($"{name} ({bytes.Length} bytes, {original.Calls.Count} calls): {cases} damaged copies in {sw.Elapsed.TotalSeconds:0.0} s, "
            + $"{refused} refused with a one-line error, {salvaged} of those gave a prefix ({salvagedCalls} calls in all), the rest read whole and equal");
        Assert.True(refused > cases / 2, "most damage is seen");
        if (original.Calls.Count > 0)
        {
            Assert.True(salvaged > cases / 10, "damage after the first block leaves a readable prefix");
        }
    }

    [Fact]
    public void CommittedCorpus_IsWhatTheGeneratorWrites()
    {
        string corpus = Path.Combine(Repo.Root, "tests", "Fuzz", "corpus", "trace");
        bool remake = Environment.GetEnvironmentVariable("MINIX318EMU_WRITE_CORPUS") == "1";
        TraceCorpus.Write(remake ? corpus : _dir);
        foreach (string name in TraceCorpus.Names)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(corpus, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(remake ? corpus : _dir, name))),
                $"tests/Fuzz/corpus/trace/{name} differs from what TraceCorpus writes (remake it with MINIX318EMU_WRITE_CORPUS=1)");
        }
    }

    [Fact]
    public void DamagedCorpusTraces_ReadWholeOrRefused_AndTheirPrefixIsTheOriginals()
    {
        string[] corpus = Directory.GetFiles(Path.Combine(Repo.Root, "tests", "Fuzz", "corpus", "trace"), "*.m318");
        Assert.Equal(TraceCorpus.Names.Order(), corpus.Select(Path.GetFileName).Order());
        foreach (string f in corpus.Order())
        {
            Fuzz(Path.GetFileName(f), File.ReadAllBytes(f));
        }
    }
}
