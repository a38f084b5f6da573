using CsCheck;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Profiles;
using Xunit.Abstractions;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>
/// Property: a damaged allocator profile (tree and text mutations of the committed corpus,
/// tests/Fuzz/corpus/profile, a copy of the built-in minix3 profile) either loads, and then
/// every function it names passed validation, or is refused with <see cref="ProfileException"/>:
/// one line naming the file. Nothing else escapes <see cref="AllocatorProfile.Load"/>.
/// </summary>
public sealed class ProfileFuzzTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-pfuzz-").FullName;

    public ProfileFuzzTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Loads <paramref name="text"/> as a profile file; true when it loaded.</summary>
    private bool Exercise(string path, string text)
    {
        File.WriteAllText(path, text);
        try
        {
            AllocatorProfile p = AllocatorProfile.Load(path);
            Assert.All(p.Functions, f =>
            {
                Assert.NotEqual("", f.Symbol);
                Assert.InRange(f.Args, 0, 4);
                Assert.True(f.Size.Length == 0 || ValueExpression.TryParse(f.Size, out _));
            });
            return true;
        }
        catch (ProfileException e)
        {
            Assert.DoesNotContain('\n', e.Message);
            Assert.StartsWith(path + ": ", e.Message);
            return false;
        }
    }

    [Fact]
    public void DamagedProfiles_LoadValidOrAreRefused()
    {
        int cases = FuzzBudget.Cases(400), refused = 0, files = 0;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (string seedFile in Directory.GetFiles(Path.Combine(Repo.Root, "tests", "Fuzz", "corpus", "profile")))
        {
            files++;
            string original = File.ReadAllText(seedFile);
            string path = Path.Combine(_dir, Path.GetFileName(seedFile));
            Assert.True(Exercise(path, original), $"{seedFile} is a valid profile");
            Gen<string> gen = JsonMutation.Of(original);
            for (int i = 0; i < cases; i++)
            {
                var pcg = new PCG(71, (ulong)i);
                string seed = pcg.ToString();
                string text = gen.Generate(pcg, null, out _);
                try
                {
                    refused += Exercise(path, text) ? 0 : 1;
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    Assert.Fail($"{seedFile} case {i} (seed {seed}) threw {e.GetType().Name}: {e.Message}\ninput: {text[..Math.Min(text.Length, 2000)]}\n{e.StackTrace}");
                }
            }
        }
        _output.WriteLine($"{files} seed profiles x {cases} damaged copies in {sw.Elapsed.TotalSeconds:0.0} s: {refused} refused with a one-line error, the rest loaded valid");
        Assert.InRange(refused, files * cases / 10, files * cases - files * cases / 20);
    }
}
