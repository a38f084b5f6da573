using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Format;

/// <summary>Reads a trace file, verifying its structure and checksum; a damaged file says how far it is readable.</summary>
public static class TraceReader
{
    /// <summary>Reads <paramref name="path"/> completely; a damaged or unfinished trace is a <see cref="TraceFormatException"/> saying how far it is readable.</summary>
    public static TraceFile Read(string path) => Read(path, salvage: false, progress: null);

    /// <summary>As <see cref="Read(string)"/>, reporting the bytes parsed to <paramref name="progress"/> (of the file's length).</summary>
    public static TraceFile Read(string path, WorkProgress? progress) => Read(path, salvage: false, progress);

    /// <summary>
    /// Reads <paramref name="path"/>, or when it is damaged or unfinished (a writer killed, a full
    /// disk, bytes changed) every complete block before the damage, with
    /// <see cref="TraceFile.Damage"/> saying what was lost. A trace with no complete block, or of
    /// version 2 (no blocks), is still a <see cref="TraceFormatException"/>.
    /// </summary>
    public static TraceFile ReadReadablePrefix(string path) => Read(path, salvage: true, progress: null);

    /// <summary>As <see cref="ReadReadablePrefix(string)"/>, reporting the bytes parsed to <paramref name="progress"/>.</summary>
    public static TraceFile ReadReadablePrefix(string path, WorkProgress? progress) => Read(path, salvage: true, progress);

    private static unsafe TraceFile Read(string path, bool salvage, WorkProgress? progress)
    {
        FileInfo info;
        MemoryMappedFile map;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new FileNotFoundException("no such file", path);
            }
            if (info.Length == 0)
            {
                return Parse(path, ReadOnlySpan<byte>.Empty, salvage, progress);
            }
            if (info.Length > int.MaxValue)
            {
                throw new TraceFormatException($"{path}: traces over 2 GiB are not supported by this reader");
            }
            map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceFormatException($"{path}: cannot read the trace ({e.Message})");
        }
        // The file is mapped rather than copied into the managed heap, and every call object
        // survives to the end, so collections during the read would only copy them between
        // generations: where the runtime allows it, none run until the read ends.
        bool noGc = false;
        try
        {
            noGc = info.Length > (16 << 20) && GC.TryStartNoGCRegion(Math.Min(info.Length * 3, 3L << 30));
        }
        catch (ArgumentOutOfRangeException)
        {
            noGc = false;
        }
        using (map)
        using (MemoryMappedViewAccessor view = map.CreateViewAccessor(0, info.Length, MemoryMappedFileAccess.Read))
        {
            byte* ptr = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref ptr);
            try
            {
                return Parse(path, new ReadOnlySpan<byte>(ptr + view.PointerOffset, (int)info.Length), salvage, progress);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                if (noGc && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
                {
                    GC.EndNoGCRegion();
                }
            }
        }
    }

    /// <summary>Parses a whole trace; with <paramref name="salvage"/>, damage after a complete block gives the blocks before it.</summary>
    private static TraceFile Parse(string path, ReadOnlySpan<byte> data, bool salvage, WorkProgress? progress)
    {
        var blocks = new BlockTrail();
        try
        {
            progress?.Start(data.Length, "bytes");
            TraceFile t = Parse(path, data, blocks, prefixEnd: -1, progress);
            progress?.Report(data.Length);
            return t;
        }
        catch (TraceFormatException e) when (salvage && blocks.End > 0)
        {
            // Read again up to the end of the last complete block, so nothing defined in the damaged part is kept.
            progress?.Start(blocks.End, "bytes");
            TraceFile prefix = Parse(path, data.Slice(0, blocks.End), new BlockTrail(), prefixEnd: blocks.End, progress);
            progress?.Report(blocks.End);
            return new TraceFile
            {
                Header = prefix.Header,
                Functions = prefix.Functions,
                Processes = prefix.Processes,
                Calls = prefix.Calls,
                Messages = prefix.Messages,
                Footer = prefix.Footer,
                Damage = $"{e.Message}; read {prefix.Calls.Count} calls and {prefix.Messages.Count} messages from the complete blocks before byte {blocks.End}, lost the {data.Length - blocks.End} bytes after it",
            };
        }
    }

    /// <summary>Where the last complete block of a version-3 trace ends, and the calls before it.</summary>
    private sealed class BlockTrail
    {
        public int End;
        public int Calls;
    }

    private static TraceFile Parse(string path, ReadOnlySpan<byte> data, BlockTrail blocks, int prefixEnd, WorkProgress? progress)
    {
        var calls = new List<TraceCall>();
        var messages = new List<TraceIpc>();
        var strings = new List<string>();
        var functions = new Dictionary<int, TraceFunction>();
        var processes = new Dictionary<int, TraceProcess>();
        var r = new SpanReader(data);
        TraceHeader header;
        int version;
        try
        {
            if (data.Length < 8 || !data.Slice(0, 8).SequenceEqual(TraceFormat.Magic))
            {
                throw new TraceFormatException($"{path}: not a minix318emu trace (bad magic)");
            }
            r.Bytes(8);
            version = r.U16();
            if (version is < TraceFormat.OldestReadable or > TraceFormat.Version)
            {
                throw new TraceFormatException(version < TraceFormat.OldestReadable
                    ? $"{path}: trace format version {version} is older than this reader's versions {TraceFormat.OldestReadable} to {TraceFormat.Version} (it lacks MINIX endpoints, requests and messages); record the trace again"
                    : $"{path}: trace format version {version} is not supported (this reader reads versions {TraceFormat.OldestReadable} to {TraceFormat.Version})");
            }
            string profile = r.Str();
            ulong tps = r.U64();
            int n = (int)r.VarInt();
            var images = new List<TraceImage>();
            for (int i = 0; i < n; i++)
            {
                images.Add(new TraceImage(r.Str(), r.Str(), (ImageScope)r.U8()));
            }
            header = new TraceHeader(version, profile, tps, images);
        }
        catch (EndOfStreamException)
        {
            throw new TraceFormatException($"{path}: truncated inside the header; nothing is readable");
        }

        bool blocked = version >= 3;
        int blockStart = 0;
        // What a damaged file still gives: in version 3 the calls of its complete blocks (analyze --salvage), in version 2 those before the damage.
        string Readable() => blocked
            ? $"the first {blocks.Calls} calls are readable (complete blocks up to byte {blocks.End}: analyze --salvage)"
            : $"the first {calls.Count} calls are readable";
        string S(int id, int at) => id >= 0 && id < strings.Count ? strings[id] : throw new TraceFormatException($"{path}: corrupt at byte {at}: string {id} used before it is defined ({Readable()})");
        var functionOf = new List<string?>(); // the function name of each string id, computed once
        var stacks = new StackInterner();
        var frameScratch = new TraceFrame[256];
        Span<uint> argBuffer = stackalloc uint[4]; // one buffer for every call's arguments
        TraceFrame Frame(ref SpanReader r)
        {
            uint a = r.U32();
            int s = (int)r.VarInt() - 1;
            if (s < 0)
            {
                return TraceFrame.Of(a, "");
            }
            string sym = S(s, r.Position);
            while (functionOf.Count <= s)
            {
                functionOf.Add(null);
            }
            string fn = functionOf[s] ??= TraceFrame.Of(a, sym).Function;
            return new TraceFrame(a, sym, fn);
        }

        while (true)
        {
            long recordStart = r.Position;
            try
            {
                if (r.AtEnd)
                {
                    if (recordStart == prefixEnd)
                    {
                        // The salvaged prefix ends here, after a complete block.
                        var partial = new TraceFooter(calls.Count, functions.Count, processes.Count, Array.Empty<byte>(), messages.Count);
                        return new TraceFile { Header = header, Functions = functions, Processes = processes, Calls = calls, Messages = messages, Footer = partial };
                    }
                    throw new TraceFormatException($"{path}: truncated at byte {recordStart}: no footer; {Readable()}");
                }
                byte type = r.U8();
                switch (type)
                {
                    case TraceFormat.RecString:
                    {
                        int id = (int)r.VarInt();
                        string s = r.Str();
                        if (id != strings.Count)
                        {
                            throw new TraceFormatException($"{path}: corrupt at byte {recordStart}: string ids out of order ({Readable()})");
                        }
                        strings.Add(s);
                        break;
                    }
                    case TraceFormat.RecFunction:
                    {
                        int id = (int)r.VarInt();
                        string name = S((int)r.VarInt(), r.Position);
                        var role = (AllocatorRole)r.U8();
                        string family = S((int)r.VarInt(), r.Position);
                        string image = S((int)r.VarInt(), r.Position);
                        functions[id] = new TraceFunction(id, name, role, family, image, r.U32());
                        break;
                    }
                    case TraceFormat.RecProcess:
                    {
                        int id = (int)r.VarInt();
                        string name = S((int)r.VarInt(), r.Position);
                        uint cr3 = r.U32();
                        int? endpoint = r.U8() switch
                        {
                            0 => null,
                            1 => (int)r.U32(),
                            _ => throw new FormatException("bad endpoint flag"),
                        };
                        processes[id] = new TraceProcess(id, name, cr3, endpoint);
                        break;
                    }
                    case TraceFormat.RecCall:
                    {
                        long id = r.VarInt();
                        long parent = r.VarInt() - 1;
                        int fn = (int)r.VarInt();
                        int proc = (int)r.VarInt();
                        long request = r.VarInt() - 1;
                        ulong entry = (ulong)r.VarInt();
                        ulong exit = (ulong)r.VarInt();
                        byte flags = r.U8();
                        if ((flags & ~(TraceFormat.CallReturned | TraceFormat.CallSizeNegative)) != 0)
                        {
                            throw new FormatException("unknown call flags");
                        }
                        int argc = r.U8();
                        if (argc > 4)
                        {
                            throw new FormatException("more than four arguments");
                        }
                        Span<uint> args = argBuffer;
                        for (int i = 0; i < argc; i++)
                        {
                            args[i] = r.U32();
                        }
                        ulong size = (ulong)r.VarInt();
                        uint ptr = r.U32();
                        uint result = r.U32();
                        TraceFrame caller = Frame(ref r);
                        int depth = r.U8();
                        for (int i = 0; i < depth; i++)
                        {
                            frameScratch[i] = Frame(ref r);
                        }
                        TraceFrame[] stack = stacks.Intern(frameScratch.AsSpan(0, depth)); // stacks repeat: one array per distinct stack
                        if (!functions.ContainsKey(fn) || !processes.ContainsKey(proc))
                        {
                            throw new TraceFormatException($"{path}: corrupt at byte {recordStart}: call {id} names an undefined function or process ({Readable()})");
                        }
                        calls.Add(new TraceCall(id, parent, fn, proc, entry, exit, (flags & TraceFormat.CallReturned) != 0, args[..argc], size, ptr, result, caller, stack,
                            request, (flags & TraceFormat.CallSizeNegative) != 0));
                        if (progress is not null && (calls.Count & 4095) == 0)
                        {
                            progress.Report(r.Position);
                        }
                        break;
                    }
                    case TraceFormat.RecMessage:
                    {
                        long id = r.VarInt();
                        byte kind = r.U8();
                        ulong time = (ulong)r.VarInt();
                        int receiver = (int)r.VarInt();
                        int sender = (int)r.VarInt() - 1;
                        int senderEndpoint = (int)r.U32();
                        uint messageType = r.U32();
                        long senderCall = r.VarInt() - 1;
                        if (kind > (byte)IpcKind.Reply || !processes.ContainsKey(receiver) || (sender >= 0 && !processes.ContainsKey(sender)))
                        {
                            throw new TraceFormatException($"{path}: corrupt at byte {recordStart}: message {id} names an undefined process or kind ({Readable()})");
                        }
                        messages.Add(new TraceIpc(id, (IpcKind)kind, time, receiver, sender, senderEndpoint, messageType, senderCall));
                        break;
                    }
                    case TraceFormat.RecBlockEnd when blocked:
                    {
                        long blockCalls = r.VarInt();
                        long blockMessages = r.VarInt();
                        int crcAt = r.Position;
                        uint crc = r.U32();
                        if (crc != Crc32.HashToUInt32(data[blockStart..crcAt]))
                        {
                            throw new TraceFormatException($"{path}: corrupt in the block from byte {blockStart} to {r.Position}: checksum mismatch; {Readable()}");
                        }
                        if (blockCalls != calls.Count || blockMessages != messages.Count)
                        {
                            throw new TraceFormatException($"{path}: corrupt at byte {recordStart}: the block end counts {blockCalls} calls and {blockMessages} messages, {calls.Count} and {messages.Count} were read; {Readable()}");
                        }
                        blockStart = blocks.End = r.Position;
                        blocks.Calls = calls.Count;
                        break;
                    }
                    case TraceFormat.RecFooter:
                    {
                        if (blocked && recordStart != blockStart)
                        {
                            throw new TraceFormatException($"{path}: corrupt at byte {recordStart}: a footer inside a block; {Readable()}");
                        }
                        byte[] expected = SHA256.HashData(data.Slice(0, (int)recordStart));
                        long count = r.VarInt();
                        long messageCount = r.VarInt();
                        int nf = (int)r.VarInt();
                        int np = (int)r.VarInt();
                        byte[] hash = r.Bytes(32).ToArray();
                        if (!hash.AsSpan().SequenceEqual(expected))
                        {
                            throw new TraceFormatException($"{path}: checksum mismatch: the file was changed after it was written ({calls.Count} calls parsed)");
                        }
                        if (count != calls.Count)
                        {
                            throw new TraceFormatException($"{path}: the footer counts {count} calls but {calls.Count} were read");
                        }
                        if (messageCount != messages.Count)
                        {
                            throw new TraceFormatException($"{path}: the footer counts {messageCount} messages but {messages.Count} were read");
                        }
                        var footer = new TraceFooter(count, nf, np, hash, messageCount);
                        return new TraceFile { Header = header, Functions = functions, Processes = processes, Calls = calls, Messages = messages, Footer = footer };
                    }
                    default:
                        throw new TraceFormatException($"{path}: corrupt at byte {recordStart}: unknown record type {type}; {Readable()}");
                }
            }
            catch (EndOfStreamException)
            {
                throw new TraceFormatException($"{path}: truncated at byte {recordStart}: {Readable()}");
            }
            catch (FormatException)
            {
                throw new TraceFormatException($"{path}: corrupt at byte {recordStart}: {Readable()}");
            }
        }
    }
}
