using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tracing.Format;

/// <summary>
/// Streams a trace to a file (see <see cref="TraceFormat"/>); complete once <see cref="Complete"/>
/// wrote the footer. Records collect in a block buffer; a full block gets its block-end record
/// (counts and CRC) and goes to the operating system at once, so a killed process or a full
/// disk costs at most the block being filled. A failed write ends the trace: the exception
/// names the file and how many calls the complete blocks before it hold.
/// </summary>
public sealed class TraceWriter : IDisposable
{
    private readonly string _path;
    private readonly int _blockBytes;
    private readonly Stream _file;
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly MemoryStream _block = new(TraceFormat.BlockBytes + 4096);
    private readonly BinaryWriter _w;
    private readonly Dictionary<string, int> _strings = new();
    private readonly Dictionary<string, int> _stringRefs = new(ReferenceEqualityComparer.Instance); // symbols recur as the same instances
    private readonly HashSet<int> _functions = new();
    private readonly HashSet<int> _processes = new();
    private long _calls;
    private long _messages;
    private long _callsInBlocks; // calls in blocks already handed to the file
    private long _handed;        // bytes handed to the file (also read by the progress line on another thread)
    private bool _completed;
    private bool _failed;

    /// <summary>Creates the file and writes the header.</summary>
    public TraceWriter(string path, TraceHeader header)
        : this(path, new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), header)
    {
    }

    /// <summary>
    /// Writes the trace to <paramref name="file"/> (named <paramref name="path"/> in messages); the
    /// writer owns the stream. <paramref name="blockBytes"/> other than the format's default makes
    /// small traces with many blocks (tests).
    /// </summary>
    public TraceWriter(string path, Stream file, TraceHeader header, int blockBytes = TraceFormat.BlockBytes)
        : this(path, file, blockBytes)
    {
        WriteHeader(_w, header);
    }

    private TraceWriter(string path, Stream file, int blockBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 64);
        _path = path;
        _blockBytes = blockBytes;
        _file = file;
        _w = new BinaryWriter(_block, Encoding.UTF8, leaveOpen: true);
    }

    private static void WriteHeader(BinaryWriter w, TraceHeader header)
    {
        w.Write(TraceFormat.Magic);
        w.Write((ushort)TraceFormat.Version);
        w.Write(header.Profile);
        w.Write(header.TicksPerSecond);
        w.Write7BitEncodedInt(header.Images.Count);
        foreach (TraceImage i in header.Images)
        {
            w.Write(i.Name);
            w.Write(i.Sha256);
            w.Write((byte)i.Scope);
        }
    }

    /// <summary>Where the writer stands (for a machine snapshot): what <see cref="Continue"/> needs to take the file up again.</summary>
    public TraceWriterPosition Position()
    {
        var p = new TraceWriterPosition
        {
            Handed = _handed,
            HandedSha256 = _sha.GetCurrentHash(),
            Block = _block.ToArray(),
            Calls = _calls,
            Messages = _messages,
            CallsInBlocks = _callsInBlocks,
        };
        p.Strings.AddRange(_strings.OrderBy(e => e.Value).Select(e => e.Key));
        p.Functions.AddRange(_functions.Order());
        p.Processes.AddRange(_processes.Order());
        return p;
    }

    /// <summary>
    /// Takes up the trace file at <paramref name="path"/> where <paramref name="at"/> left it: the
    /// file must begin with the bytes the position names (checked by their SHA-256) and with
    /// <paramref name="header"/>; what follows them (the records and footer the saving run wrote
    /// after the save) is cut off, and the block being filled at the save is filled on. Every
    /// problem is an <see cref="InvalidDataException"/> naming the file. <paramref name="blockBytes"/>
    /// must be what the trace was begun with.
    /// </summary>
    public static TraceWriter Continue(string path, TraceHeader header, TraceWriterPosition at, int blockBytes = TraceFormat.BlockBytes)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot open the trace to continue it ({e.Message})");
        }
        var w = new TraceWriter(path, file, blockBytes);
        try
        {
            if (file.Length < at.Handed)
            {
                throw new InvalidDataException($"{path}: {file.Length} bytes, shorter than the {at.Handed} bytes written before the save: not the trace the state was saved with");
            }
            var buffer = new byte[1 << 20];
            for (long left = at.Handed; left > 0;)
            {
                int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n <= 0)
                {
                    throw new InvalidDataException($"{path}: ends early");
                }
                w._sha.AppendData(buffer, 0, n);
                left -= n;
            }
            if (!w._sha.GetCurrentHash().AsSpan().SequenceEqual(at.HandedSha256))
            {
                throw new InvalidDataException($"{path}: its first {at.Handed} bytes are not the ones written before the save: not the trace the state was saved with");
            }
            var expected = new MemoryStream();
            using (var hw = new BinaryWriter(expected, Encoding.UTF8, leaveOpen: true))
            {
                WriteHeader(hw, header);
            }
            // The header is the first bytes of what was written: of the file, or of the block if none was handed yet.
            int fromFile = (int)Math.Min(at.Handed, expected.Length);
            byte[] begun = new byte[fromFile];
            file.Position = 0;
            file.ReadExactly(begun);
            byte[] begin = [.. begun, .. at.Block.AsSpan(0, Math.Min(at.Block.Length, (int)expected.Length - fromFile))];
            if (!begin.AsSpan().SequenceEqual(expected.GetBuffer().AsSpan(0, (int)expected.Length)))
            {
                throw new InvalidDataException($"{path}: the trace was begun with another profile, clock rate or other traced images");
            }
            file.SetLength(at.Handed);
            file.Position = at.Handed;
            w._handed = at.Handed;
            w._block.Write(at.Block);
            for (int i = 0; i < at.Strings.Count; i++)
            {
                w._strings[at.Strings[i]] = i;
            }
            w._functions.UnionWith(at.Functions);
            w._processes.UnionWith(at.Processes);
            w._calls = at.Calls;
            w._messages = at.Messages;
            w._callsInBlocks = at.CallsInBlocks;
            return w;
        }
        catch
        {
            w._completed = true; // nothing to finish: the file is left as it was
            w.Dispose();
            throw;
        }
    }

    /// <summary>Calls written so far.</summary>
    public long Calls => _calls;

    /// <summary>Messages written so far.</summary>
    public long Messages => _messages;

    /// <summary>Bytes handed to the file so far (whole blocks); safe to read from another thread.</summary>
    public long BytesWritten => Interlocked.Read(ref _handed);

    private int Str(string s)
    {
        if (_stringRefs.TryGetValue(s, out int known))
        {
            return known;
        }
        int id = StrByValue(s);
        _stringRefs[s] = id;
        return id;
    }

    private int StrByValue(string s)
    {
        if (!_strings.TryGetValue(s, out int id))
        {
            id = _strings.Count;
            _strings[s] = id;
            _w.Write(TraceFormat.RecString);
            _w.Write7BitEncodedInt(id);
            _w.Write(s);
        }
        return id;
    }

    /// <summary>Defines a function (once).</summary>
    public void Define(TraceFunction f)
    {
        if (!_functions.Add(f.Id))
        {
            return;
        }
        int name = Str(f.Name), family = Str(f.Family), image = Str(f.Image);
        _w.Write(TraceFormat.RecFunction);
        _w.Write7BitEncodedInt(f.Id);
        _w.Write7BitEncodedInt(name);
        _w.Write((byte)f.Role);
        _w.Write7BitEncodedInt(family);
        _w.Write7BitEncodedInt(image);
        _w.Write(f.Address);
    }

    /// <summary>Defines a process (once).</summary>
    public void Define(TraceProcess p)
    {
        if (!_processes.Add(p.Id))
        {
            return;
        }
        int name = Str(p.Name);
        _w.Write(TraceFormat.RecProcess);
        _w.Write7BitEncodedInt(p.Id);
        _w.Write7BitEncodedInt(name);
        _w.Write(p.Cr3);
        _w.Write(p.Endpoint.HasValue);
        if (p.Endpoint is int e)
        {
            _w.Write(e);
        }
    }

    /// <summary>Writes a delivered message (its processes must be defined).</summary>
    public void Write(TraceIpc m) => WriteMessage(m.Id, m.Kind, m.Time, m.Receiver, m.Sender, m.SenderEndpoint, m.MessageType, m.SenderCall);

    /// <summary>Writes a delivered message from its fields.</summary>
    public void WriteMessage(long id, IpcKind kind, ulong time, int receiver, int sender, int senderEndpoint, uint messageType, long senderCall)
    {
        _w.Write(TraceFormat.RecMessage);
        _w.Write7BitEncodedInt64(id);
        _w.Write((byte)kind);
        _w.Write7BitEncodedInt64((long)time);
        _w.Write7BitEncodedInt(receiver);
        _w.Write7BitEncodedInt(sender + 1);
        _w.Write(senderEndpoint);
        _w.Write(messageType);
        _w.Write7BitEncodedInt64(senderCall + 1);
        _messages++;
        EndBlockIfFull();
    }

    /// <summary>Writes a call record (its function and process must be defined).</summary>
    public void Write(TraceCall c)
    {
        Span<uint> args = stackalloc uint[c.ArgCount];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = c.Arg(i);
        }
        WriteCall(c.Id, c.Parent, c.Function, c.Process, c.Request, c.Entry, c.Exit, c.Returned, c.Negative, args, c.Size, c.Pointer, c.Result, c.Caller, c.Stack);
    }

    /// <summary>Writes a call record from its fields (the tracer's path: no <see cref="TraceCall"/> is made for a record that is only written).</summary>
    public void WriteCall(long id, long parent, int function, int process, long request, ulong entry, ulong exit, bool returned, bool negative,
        ReadOnlySpan<uint> args, ulong size, uint pointer, uint result, TraceFrame caller, TraceFrame[] stack)
    {
        int callerSym = caller.Symbol.Length == 0 ? -1 : Str(caller.Symbol);
        Span<int> syms = stackalloc int[stack.Length];
        for (int i = 0; i < stack.Length; i++)
        {
            syms[i] = stack[i].Symbol.Length == 0 ? -1 : Str(stack[i].Symbol);
        }
        _w.Write(TraceFormat.RecCall);
        _w.Write7BitEncodedInt64(id);
        _w.Write7BitEncodedInt64(parent + 1);
        _w.Write7BitEncodedInt(function);
        _w.Write7BitEncodedInt(process);
        _w.Write7BitEncodedInt64(request + 1);
        _w.Write7BitEncodedInt64((long)entry);
        _w.Write7BitEncodedInt64((long)exit);
        _w.Write((byte)((returned ? TraceFormat.CallReturned : 0) | (negative ? TraceFormat.CallSizeNegative : 0)));
        int argc = Math.Min(args.Length, 4);
        _w.Write((byte)argc);
        for (int i = 0; i < argc; i++)
        {
            _w.Write(args[i]);
        }
        _w.Write7BitEncodedInt64((long)size);
        _w.Write(pointer);
        _w.Write(result);
        _w.Write(caller.Address);
        _w.Write7BitEncodedInt(callerSym + 1);
        _w.Write((byte)stack.Length);
        for (int i = 0; i < stack.Length; i++)
        {
            _w.Write(stack[i].Address);
            _w.Write7BitEncodedInt(syms[i] + 1);
        }
        _calls++;
        EndBlockIfFull();
    }

    private void EndBlockIfFull()
    {
        if (_block.Length >= _blockBytes)
        {
            EndBlock();
        }
    }

    /// <summary>Ends the block: its block-end record, then the whole block to the operating system (it survives the process).</summary>
    private void EndBlock()
    {
        if (_failed)
        {
            throw new IOException($"{_path}: the trace could not be written; the first {_callsInBlocks} calls are in complete blocks (analyze --salvage reads them)");
        }
        _w.Write(TraceFormat.RecBlockEnd);
        _w.Write7BitEncodedInt64(_calls);
        _w.Write7BitEncodedInt64(_messages);
        ReadOnlySpan<byte> covered = _block.GetBuffer().AsSpan(0, (int)_block.Length);
        _w.Write(Crc32.HashToUInt32(covered));
        Hand(_block.GetBuffer().AsSpan(0, (int)_block.Length));
        _callsInBlocks = _calls;
        _block.SetLength(0);
    }

    /// <summary>Hashes and writes bytes to the file and flushes them to the operating system; a failure is named once and ends the trace.</summary>
    private void Hand(ReadOnlySpan<byte> bytes)
    {
        _sha.AppendData(bytes);
        try
        {
            _file.Write(bytes);
            _file.Flush();
            Interlocked.Add(ref _handed, bytes.Length);
        }
        catch (IOException e)
        {
            _failed = true;
            throw new IOException($"{_path}: cannot write the trace ({e.Message}); the first {_callsInBlocks} calls are in complete blocks (analyze --salvage reads them)", e);
        }
    }

    /// <summary>Ends the last block, writes the footer and flushes to the disk: the trace is complete.</summary>
    public void Complete()
    {
        if (_completed || _failed)
        {
            return;
        }
        _completed = true;
        EndBlock();
        byte[] hash = _sha.GetCurrentHash();
        _w.Write(TraceFormat.RecFooter);
        _w.Write7BitEncodedInt64(_calls);
        _w.Write7BitEncodedInt64(_messages);
        _w.Write7BitEncodedInt(_functions.Count);
        _w.Write7BitEncodedInt(_processes.Count);
        _w.Write(hash);
        Hand(_block.GetBuffer().AsSpan(0, (int)_block.Length));
        _block.SetLength(0);
        if (_file is FileStream fs)
        {
            fs.Flush(flushToDisk: true);
        }
    }

    /// <inheritdoc/>
    /// <remarks>After a failed write nothing more is written (the file keeps its complete blocks) and the stream is still closed.</remarks>
    public void Dispose()
    {
        try
        {
            Complete();
        }
        finally
        {
            _w.Dispose();
            _block.Dispose();
            _sha.Dispose();
            try
            {
                _file.Dispose();
            }
            catch (IOException) when (_failed)
            {
                // The stream's own buffer cannot be written either; the error was already reported.
            }
        }
    }
}
