namespace Minix318Emu.Tests.Support;

/// <summary>
/// Tests that swap the process-wide Console.Out/Console.Error to read what Program.Main says.
/// They run alone, after the parallel tests: run in parallel, two of them took each other's
/// writers, and any other test's diagnostics landed in the captured text.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "process console";
}
