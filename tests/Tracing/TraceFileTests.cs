using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tests.Tracing;

/// <summary>The trace file: determinism, completeness checks, damage reports; profiles.</summary>
public sealed class TraceFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-tracefile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TwoRuns_GiveByteIdenticalTraces()
    {
        var a = TraceRunner.Run(Path.Combine(_dir, "a.m318"));
        var b = TraceRunner.Run(Path.Combine(_dir, "b.m318"));
        Assert.Equal(File.ReadAllBytes(a.TracePath), File.ReadAllBytes(b.TracePath));
    }

    [Fact]
    public void ContinuedFromASavedPosition_EndsAsTheUninterruptedTrace_ByteForByte()
    {
        var header = new TraceHeader(TraceFormat.Version, "minix3", 100_000_000, new[] { new TraceImage("kernel", new string('0', 64), ImageScope.Kernel) });
        string straight = Path.Combine(_dir, "straight.m318"), cont = Path.Combine(_dir, "cont.m318");
        using (var w = new TraceWriter(straight, new FileStream(straight, FileMode.Create), header, blockBytes: 256))
        {
            Records(w, 0, 60);
            w.Complete();
        }
        TraceWriterPosition saved;
        using (var w = new TraceWriter(cont, new FileStream(cont, FileMode.Create), header, blockBytes: 256))
        {
            Records(w, 0, 25);
            saved = w.Position();
            Records(w, 1000, 1003); // what the saving run writes after the save (its calls in progress, as unreturned)
            w.Complete();
        }
        Assert.True(saved.Handed > 0 && saved.Block.Length > 0, "the save should fall inside a block, after whole blocks reached the file");
        var state = new MemoryStream();
        saved.SyncState(Minix318Emu.Emulator.Snapshots.StateSync.ForSaving(state, "trace-writer"));
        var at = new TraceWriterPosition();
        state.Position = 0;
        at.SyncState(Minix318Emu.Emulator.Snapshots.StateSync.ForLoading(state, "trace-writer"));
        byte[] beforeContinuing = File.ReadAllBytes(cont);

        using (var w = TraceWriter.Continue(cont, header, at, blockBytes: 256))
        {
            Records(w, 25, 60);
            w.Complete();
        }
        Assert.Equal(File.ReadAllBytes(straight), File.ReadAllBytes(cont));

        // Another file, or the same file with other first bytes or another header, is refused and left alone.
        string other = Path.Combine(_dir, "other.m318");
        byte[] damaged = (byte[])beforeContinuing.Clone();
        damaged[100] ^= 1;
        File.WriteAllBytes(other, damaged);
        var e = Assert.Throws<InvalidDataException>(() => TraceWriter.Continue(other, header, at, blockBytes: 256));
        Assert.Equal($"{other}: its first {at.Handed} bytes are not the ones written before the save: not the trace the state was saved with", e.Message);
        Assert.Equal(damaged, File.ReadAllBytes(other));
        File.WriteAllBytes(other, beforeContinuing);
        var minix318 = header with { Profile = "minix318" };
        e = Assert.Throws<InvalidDataException>(() => TraceWriter.Continue(other, minix318, at, blockBytes: 256));
        Assert.Equal($"{other}: the trace was begun with another profile, clock rate or other traced images", e.Message);
        File.WriteAllBytes(other, beforeContinuing[..(int)(at.Handed - 1)]);
        e = Assert.Throws<InvalidDataException>(() => TraceWriter.Continue(other, header, at, blockBytes: 256));
        Assert.Equal($"{other}: {at.Handed - 1} bytes, shorter than the {at.Handed} bytes written before the save: not the trace the state was saved with", e.Message);

        // Calls, messages, functions and processes defined as they come; symbols new on every call (the string table grows throughout).
        static void Records(TraceWriter w, int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                w.Define(new TraceFunction(i % 4, $"alloc{i % 4}", AllocatorRole.Alloc, "libc", "kernel", 0x8060000u + (uint)(i % 4) * 64));
                w.Define(new TraceProcess(i % 3, $"p{i % 3}", 0x1000u * (uint)(i % 3 + 1), i % 3));
                w.Write(new TraceIpc(i, (IpcKind)(i % 2), 90 + (ulong)i, i % 3, i % 3 - 1, i - 3, 0xC00u + (uint)i, i - 1));
                w.Write(new TraceCall(i, i - 1, i % 4, i % 3, 80 + (ulong)i * 10, 85 + (ulong)i * 10, true, new uint[] { (uint)i }, (ulong)i * 16,
                    0x81000000u + (uint)i, 0x81000000u + (uint)i * 16, TraceFrame.Of(0x8050000, $"caller{i}+0x10"), [TraceFrame.Of(0x8051000, $"frame{i}+0x4")]));
            }
        }
    }

    [Fact]
    public void TruncatedTrace_SaysHowFarItIsReadable()
    {
        var o = TraceRunner.Run(Path.Combine(_dir, "full.m318"));
        byte[] full = File.ReadAllBytes(o.TracePath);
        string cut = Path.Combine(_dir, "cut.m318");
        File.WriteAllBytes(cut, full.AsSpan(0, full.Length / 2).ToArray());
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.Read(cut));
        Assert.Matches(@"cut\.m318: truncated at byte \d+: the first \d+ calls are readable", e.Message);
    }

    [Fact]
    public void CorruptedTrace_FailsTheChecksum_AndBadMagicIsNamed()
    {
        var o = TraceRunner.Run(Path.Combine(_dir, "full.m318"));
        byte[] data = File.ReadAllBytes(o.TracePath);
        // Flip a byte inside an argument of the last call record: the structure stays valid, the checksum does not.
        int at = data.Length - 60;
        data[at] ^= 0x01;
        string bad = Path.Combine(_dir, "bad.m318");
        File.WriteAllBytes(bad, data);
        var e = Assert.Throws<TraceFormatException>(() => TraceReader.Read(bad));
        Assert.Contains("bad.m318", e.Message);
        string notTrace = Path.Combine(_dir, "x.m318");
        File.WriteAllText(notTrace, "hello");
        Assert.Equal($"{notTrace}: not a minix318emu trace (bad magic)", Assert.Throws<TraceFormatException>(() => TraceReader.Read(notTrace)).Message);
    }

    [Fact]
    public void NegativeStringLength_IsCorruptNotAnException()
    {
        // Found by reading the reader for the trace fuzzer (issue 18): a string whose length
        // varint decodes to -1 made the span reader slice with a negative count
        // (ArgumentOutOfRangeException). The header's profile string is the first one read.
        string bad = Path.Combine(_dir, "neg.m318");
        File.WriteAllBytes(bad, [.. "M318TRC\0"u8, 3, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0, 0, 0]);
        Assert.Equal($"{bad}: truncated inside the header; nothing is readable", Assert.Throws<TraceFormatException>(() => TraceReader.Read(bad)).Message);
    }

    [Fact]
    public void Version2Records_EndpointsRequestsSignedSizesAndMessages_ReadBackAsWritten()
    {
        string path = Path.Combine(_dir, "v2.m318");
        var header = new TraceHeader(TraceFormat.Version, "minix3", 100_000_000, new[] { new TraceImage("kernel", new string('0', 64), ImageScope.Kernel) });
        using (var w = new TraceWriter(path, header))
        {
            w.Define(new TraceFunction(0, "sbrk", AllocatorRole.Backend, "brk", "mod02_rs", 0x8067630));
            w.Define(new TraceProcess(0, "rs", 0x4ec000, 2));
            w.Define(new TraceProcess(1, "vm", 0x30f2000, 8));
            w.Define(new TraceProcess(2, "prog_a", 0x1000));
            w.Write(new TraceIpc(0, IpcKind.Request, 90, 1, 0, 2, 0xC02, 0));
            w.Write(new TraceIpc(1, IpcKind.Reply, 95, 0, -1, -3, 0, -1));
            w.Write(new TraceCall(0, -1, 0, 0, 80, 100, true, new uint[] { 0xFFFFFB30 }, 1232, 0, 0x81000000, TraceFrame.Of(0x8050000, "srv_execve+0x285"),
                Array.Empty<TraceFrame>(), request: 7, negative: true));
            w.Complete();
        }
        TraceFile t = TraceReader.Read(path);
        Assert.Equal(3, t.Header.Version);
        Assert.Equal((int?)2, t.Processes[0].Endpoint);
        Assert.Null(t.Processes[2].Endpoint);
        Assert.Equal("rs (endpoint 2)", t.Processes[0].Label);
        TraceCall c = Assert.Single(t.Calls);
        Assert.Equal((true, 1232ul, 7L, true), (c.Negative, c.Size, c.Request, c.Returned));
        Assert.Equal(new[] { new TraceIpc(0, IpcKind.Request, 90, 1, 0, 2, 0xC02, 0), new TraceIpc(1, IpcKind.Reply, 95, 0, -1, -3, 0, -1) }, t.Messages);
        Assert.Equal(2, t.Footer.Messages);
    }

    [Fact]
    public void Profiles_BuiltInAndUserFiles_AndBadOnes()
    {
        Assert.Contains(AllocatorProfile.Load("minix318").Functions, f => f.Symbol == "kmem_alloc_wired" && f.Role == AllocatorRole.Backend);
        Assert.Contains(AllocatorProfile.Load("minix3").Functions, f => f.Symbol == "slaballoc");
        string p = Path.Combine(_dir, "mine.json");
        File.WriteAllText(p, """{ "Name": "mine", "Functions": [ { "Symbol": "kalloc", "Role": "Alloc", "Family": "k", "Size": "arg0" } ] }""");
        var mine = AllocatorProfile.Load(p);
        Assert.Equal("mine", mine.Name);
        var o = TraceRunner.Run(Path.Combine(_dir, "mine.m318"), profileName: p);
        var t = TraceReader.Read(o.TracePath);
        Assert.Equal(22, t.Calls.Count); // only kalloc is hooked: 22 calls, as ModelGuestTraceTests counts them
        File.WriteAllText(p, """{ "Name": "bad", "Functions": [ { "Symbol": "x", "Role": "Alloc", "Size": "argz" } ] }""");
        Assert.Equal($"{p}: x: cannot understand the value expression 'argz'", Assert.Throws<ProfileException>(() => AllocatorProfile.Load(p)).Message);
        File.WriteAllText(p, "{ not json");
        Assert.StartsWith($"{p}: not a valid JSON profile", Assert.Throws<ProfileException>(() => AllocatorProfile.Load(p)).Message);
        Assert.StartsWith("nope.json: no such profile file", Assert.Throws<ProfileException>(() => AllocatorProfile.Load("nope.json")).Message);
    }
}
