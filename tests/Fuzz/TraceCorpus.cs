using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>
/// The seed traces of tests/Fuzz/corpus/trace, made here so the committed files can be checked
/// and remade (MINIX318EMU_WRITE_CORPUS=1 with the corpus test) when the format changes: a
/// trace with no records; every record type (strings, functions, processes, messages, calls
/// with stacks, negative sizes) in 64-byte blocks; the model guest's real trace in 2 KiB blocks.
/// </summary>
internal static class TraceCorpus
{
    public static readonly string[] Names = ["empty.m318", "records-64b-blocks.m318", "model-2k-blocks.m318"];

    public static void Write(string dir)
    {
        var header = new TraceHeader(TraceFormat.Version, "minix3", 100_000_000, new[] { new TraceImage("kernel", new string('0', 64), ImageScope.Kernel) });
        string empty = Path.Combine(dir, Names[0]);
        using (var w = new TraceWriter(empty, new FileStream(empty, FileMode.Create), header))
        {
            w.Complete();
        }
        string records = Path.Combine(dir, Names[1]);
        using (var w = new TraceWriter(records, new FileStream(records, FileMode.Create), header, blockBytes: 64))
        {
            w.Define(new TraceFunction(0, "sbrk", AllocatorRole.Backend, "brk", "mod02_rs", 0x8067630));
            w.Define(new TraceFunction(1, "malloc", AllocatorRole.Alloc, "libc", "mod02_rs", 0x8060000));
            w.Define(new TraceProcess(0, "rs", 0x4ec000, 2));
            w.Define(new TraceProcess(1, "vm", 0x30f2000, 8));
            w.Define(new TraceProcess(2, "prog_a", 0x1000));
            for (int i = 0; i < 40; i++)
            {
                w.Write(new TraceIpc(i, (IpcKind)(i % 2), 90 + (ulong)i, i % 3, i % 4 - 1, i - 3, 0xC00u + (uint)i, i - 1));
                TraceFrame[] stack = Enumerable.Range(0, i % 5).Select(d => TraceFrame.Of(0x8050000u + (uint)d * 16, $"f{d}+0x{d:x}")).ToArray();
                w.Write(new TraceCall(i, i - 1, i % 2, i % 3, 80 + (ulong)i * 10, 85 + (ulong)i * 10, i % 7 != 0, new uint[] { (uint)i, 0xFFFFFB30 }, (ulong)i * 16,
                    0x81000000u + (uint)i, 0x81000000u + (uint)i * 16, TraceFrame.Of(0x8050000, "srv_execve+0x285"), stack, request: i / 2 - 1, negative: i % 3 == 0));
            }
            w.Complete();
        }
        TraceRunner.Run(Path.Combine(dir, Names[2]), blockBytes: 2048);
    }
}
