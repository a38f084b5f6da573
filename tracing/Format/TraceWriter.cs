using System.Security.Cryptography;
using System.Text;
using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tracing.Format;

/// <summary>Streams a trace to a file (see <see cref="TraceFormat"/>); complete once <see cref="Complete"/> wrote the footer.</summary>
public sealed class TraceWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly HashingStream _hashing;
    private readonly BufferedStream _buffer; // hashing sees large chunks, not every field
    private readonly BinaryWriter _w;
    private readonly Dictionary<string, int> _strings = new();
    private readonly Dictionary<string, int> _stringRefs = new(ReferenceEqualityComparer.Instance); // symbols recur as the same instances
    private readonly HashSet<int> _functions = new();
    private readonly HashSet<int> _processes = new();
    private long _calls;
    private long _messages;
    private bool _completed;

    /// <summary>Creates the file and writes the header.</summary>
    public TraceWriter(string path, TraceHeader header)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _hashing = new HashingStream(_file);
        _buffer = new BufferedStream(_hashing, 1 << 16);
        _w = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true);
        _w.Write(TraceFormat.Magic);
        _w.Write((ushort)TraceFormat.Version);
        _w.Write(header.Profile);
        _w.Write(header.TicksPerSecond);
        _w.Write7BitEncodedInt(header.Images.Count);
        foreach (TraceImage i in header.Images)
        {
            _w.Write(i.Name);
            _w.Write(i.Sha256);
            _w.Write((byte)i.Scope);
        }
    }

    /// <summary>Calls written so far.</summary>
    public long Calls => _calls;

    /// <summary>Messages written so far.</summary>
    public long Messages => _messages;

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
    }

    /// <summary>Writes the footer and flushes: the trace is complete.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        _w.Flush();
        _buffer.Flush();
        byte[] hash = _hashing.Hash();
        _w.Write(TraceFormat.RecFooter);
        _w.Write7BitEncodedInt64(_calls);
        _w.Write7BitEncodedInt64(_messages);
        _w.Write7BitEncodedInt(_functions.Count);
        _w.Write7BitEncodedInt(_processes.Count);
        _w.Write(hash);
        _w.Flush();
        _buffer.Flush();
        _file.Flush(flushToDisk: true);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Complete();
        _w.Dispose();
        _buffer.Dispose();
        _hashing.Dispose();
        _file.Dispose();
    }

    /// <summary>Passes writes through and hashes them.</summary>
    private sealed class HashingStream : Stream
    {
        private readonly Stream _inner;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public HashingStream(Stream inner) => _inner = inner;

        public byte[] Hash() => _hash.GetCurrentHash();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            _inner.Write(buffer);
        }

        public override void WriteByte(byte value) => Write(new[] { value });

        public override void Flush() => _inner.Flush();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
