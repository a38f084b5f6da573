using CsCheck;
using Minix318Emu.Tests.Support;
using Xunit.Abstractions;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>
/// Property: whatever a --config settings file holds (tree and text mutations of the committed
/// corpus, tests/Fuzz/corpus/config), `minix318emu run --config FILE` ends with an exit code:
/// a bad file is one line naming the problem and exit code 2; a good one boots (cut at 20 000
/// instructions). No exception escapes Program.Main. The corpus's file names (disk.img,
/// floppy.img, demo.elf) are made real files in a scratch folder or the bundled demo guest.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConfigFileFuzzTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-cfuzz-").FullName;

    public ConfigFileFuzzTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void DamagedConfigFiles_EndWithAnExitCode_NeverAnException()
    {
        File.WriteAllBytes(Path.Combine(_dir, "disk.img"), new byte[64 * 1024]);
        File.WriteAllBytes(Path.Combine(_dir, "floppy.img"), new byte[1_474_560]);
        int cases = FuzzBudget.Cases(150), refused = 0, files = 0;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        TextWriter stdout = Console.Out, stderr = Console.Error;
        try
        {
            Console.SetOut(TextWriter.Null);
            foreach (string seedFile in Directory.GetFiles(Path.Combine(Repo.Root, "tests", "Fuzz", "corpus", "config")))
            {
                files++;
                string original = File.ReadAllText(seedFile).Replace("disk.img", Path.Combine(_dir, "disk.img")).Replace("floppy.img", Path.Combine(_dir, "floppy.img"))
                    .Replace("demo.elf", Repo.Guest("demo"));
                string path = Path.Combine(_dir, Path.GetFileName(seedFile));
                Gen<string> gen = JsonMutation.Of(original);
                for (int i = -1; i < cases; i++)
                {
                    string text = i < 0 ? original : gen.Generate(new PCG(81, (ulong)i), null, out _);
                    File.WriteAllText(path, text);
                    var errors = new StringWriter();
                    Console.SetError(errors);
                    int code;
                    try
                    {
                        code = Minix318Emu.Cli.Program.Main(["run", "--config", path, "--max-instructions", "20000", "--serial", "none"]);
                    }
                    catch (Exception e)
                    {
                        Assert.Fail($"{seedFile} case {i} threw {e.GetType().Name}: {e.Message}\ninput: {text[..Math.Min(text.Length, 2000)]}\n{e.StackTrace}");
                        return;
                    }
                    if (i < 0)
                    {
                        Assert.True(code != 2, $"{seedFile} is a good configuration: {errors}");
                    }
                    if (code == 2)
                    {
                        string said = errors.ToString();
                        Assert.True(said.StartsWith("minix318emu: ", StringComparison.Ordinal) && said.IndexOf('\n') == said.Length - 1,
                            $"{seedFile} case {i}: a refusal is one line, not:\n{said}\ninput: {text[..Math.Min(text.Length, 2000)]}");
                        refused++;
                    }
                }
            }
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
        _output.WriteLine($"{files} seed configurations x {cases} damaged copies in {sw.Elapsed.TotalSeconds:0.0} s: {refused} refused with a one-line error (exit code 2), the rest ran");
        Assert.InRange(refused, files * cases / 10, files * cases - files * cases / 20);
    }
}
