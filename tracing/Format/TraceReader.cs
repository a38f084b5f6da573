using System.Security.Cryptography;
using System.Text;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Format;

/// <summary>A trace read back: header, definitions, calls and footer.</summary>
public sealed class TraceFile
{
    public required TraceHeader Header { get; init; }
    public required IReadOnlyDictionary<int, TraceFunction> Functions { get; init; }
    public required IReadOnlyDictionary<int, TraceProcess> Processes { get; init; }
    public required IReadOnlyList<TraceCall> Calls { get; init; }
    public required TraceFooter Footer { get; init; }
}

/// <summary>Reads a trace file, verifying its structure and checksum; a damaged file says how far it is readable.</summary>
public static class TraceReader
{
    /// <summary>Reads <paramref name="path"/> completely.</summary>
    public static TraceFile Read(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceFormatException($"{path}: cannot read the trace ({e.Message})");
        }
        var calls = new List<TraceCall>();
        var strings = new List<string>();
        var functions = new Dictionary<int, TraceFunction>();
        var processes = new Dictionary<int, TraceProcess>();
        using var ms = new MemoryStream(data, writable: false);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        TraceHeader header;
        try
        {
            if (data.Length < 8 || !data.AsSpan(0, 8).SequenceEqual(TraceFormat.Magic))
            {
                throw new TraceFormatException($"{path}: not a minix318emu trace (bad magic)");
            }
            r.ReadBytes(8);
            int version = r.ReadUInt16();
            if (version != TraceFormat.Version)
            {
                throw new TraceFormatException($"{path}: trace format version {version} is not supported (this reader reads version {TraceFormat.Version})");
            }
            string profile = r.ReadString();
            ulong tps = r.ReadUInt64();
            int n = r.Read7BitEncodedInt();
            var images = new List<TraceImage>();
            for (int i = 0; i < n; i++)
            {
                images.Add(new TraceImage(r.ReadString(), r.ReadString(), (ImageScope)r.ReadByte()));
            }
            header = new TraceHeader(version, profile, tps, images);
        }
        catch (EndOfStreamException)
        {
            throw new TraceFormatException($"{path}: truncated inside the header; nothing is readable");
        }

        string S(int id) => id >= 0 && id < strings.Count ? strings[id] : throw new TraceFormatException($"{path}: corrupt at byte {ms.Position}: string {id} used before it is defined (readable up to call {calls.Count})");
        TraceFrame Frame()
        {
            uint a = r.ReadUInt32();
            int s = r.Read7BitEncodedInt() - 1;
            return new TraceFrame(a, s < 0 ? "" : S(s));
        }

        while (true)
        {
            long recordStart = ms.Position;
            try
            {
                if (ms.Position >= data.Length)
                {
                    throw new TraceFormatException($"{path}: truncated at byte {recordStart}: no footer; the first {calls.Count} calls are readable");
                }
                byte type = r.ReadByte();
                switch (type)
                {
                    case TraceFormat.RecString:
                    {
                        int id = r.Read7BitEncodedInt();
                        string s = r.ReadString();
                        if (id != strings.Count)
                        {
                            throw new TraceFormatException($"{path}: corrupt at byte {recordStart}: string ids out of order (readable up to call {calls.Count})");
                        }
                        strings.Add(s);
                        break;
                    }
                    case TraceFormat.RecFunction:
                    {
                        int id = r.Read7BitEncodedInt();
                        string name = S(r.Read7BitEncodedInt());
                        var role = (AllocatorRole)r.ReadByte();
                        string family = S(r.Read7BitEncodedInt());
                        string image = S(r.Read7BitEncodedInt());
                        functions[id] = new TraceFunction(id, name, role, family, image, r.ReadUInt32());
                        break;
                    }
                    case TraceFormat.RecProcess:
                    {
                        int id = r.Read7BitEncodedInt();
                        processes[id] = new TraceProcess(id, S(r.Read7BitEncodedInt()), r.ReadUInt32());
                        break;
                    }
                    case TraceFormat.RecCall:
                    {
                        long id = r.Read7BitEncodedInt64();
                        long parent = r.Read7BitEncodedInt64() - 1;
                        int fn = r.Read7BitEncodedInt();
                        int proc = r.Read7BitEncodedInt();
                        ulong entry = (ulong)r.Read7BitEncodedInt64();
                        ulong exit = (ulong)r.Read7BitEncodedInt64();
                        bool returned = r.ReadBoolean();
                        var args = new uint[r.ReadByte()];
                        for (int i = 0; i < args.Length; i++)
                        {
                            args[i] = r.ReadUInt32();
                        }
                        ulong size = (ulong)r.Read7BitEncodedInt64();
                        uint ptr = r.ReadUInt32();
                        uint result = r.ReadUInt32();
                        TraceFrame caller = Frame();
                        var stack = new TraceFrame[r.ReadByte()];
                        for (int i = 0; i < stack.Length; i++)
                        {
                            stack[i] = Frame();
                        }
                        if (!functions.ContainsKey(fn) || !processes.ContainsKey(proc))
                        {
                            throw new TraceFormatException($"{path}: corrupt at byte {recordStart}: call {id} names an undefined function or process (readable up to call {calls.Count})");
                        }
                        calls.Add(new TraceCall(id, parent, fn, proc, entry, exit, returned, args, size, ptr, result, caller, stack));
                        break;
                    }
                    case TraceFormat.RecFooter:
                    {
                        byte[] expected = SHA256.HashData(data.AsSpan(0, (int)recordStart));
                        long count = r.Read7BitEncodedInt64();
                        int nf = r.Read7BitEncodedInt();
                        int np = r.Read7BitEncodedInt();
                        byte[] hash = r.ReadBytes(32);
                        if (hash.Length != 32)
                        {
                            throw new EndOfStreamException();
                        }
                        if (!hash.AsSpan().SequenceEqual(expected))
                        {
                            throw new TraceFormatException($"{path}: checksum mismatch: the file was changed after it was written ({calls.Count} calls parsed)");
                        }
                        if (count != calls.Count)
                        {
                            throw new TraceFormatException($"{path}: the footer counts {count} calls but {calls.Count} were read");
                        }
                        var footer = new TraceFooter(count, nf, np, hash);
                        return new TraceFile { Header = header, Functions = functions, Processes = processes, Calls = calls, Footer = footer };
                    }
                    default:
                        throw new TraceFormatException($"{path}: corrupt at byte {recordStart}: unknown record type {type}; the first {calls.Count} calls are readable");
                }
            }
            catch (EndOfStreamException)
            {
                throw new TraceFormatException($"{path}: truncated at byte {recordStart}: the first {calls.Count} calls are readable");
            }
        }
    }
}
