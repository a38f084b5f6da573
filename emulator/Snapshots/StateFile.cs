using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Minix318Emu.Emulator.Snapshots;

/// <summary>
/// A machine snapshot on disk (format in docs/state-format.md). The header is plain: magic,
/// version, the machine description the state belongs to, the instruction count, and the
/// length and SHA-256 of the body. The body is zlib-compressed and holds one section per
/// machine part (id, length, the part's <see cref="StateSync"/> bytes), in saving order.
/// Reading checks everything before a part is touched, so a bad file is a one-line error
/// and the machine is left as it was.
/// </summary>
public sealed class StateFile
{
    /// <summary>The first eight bytes of every state file.</summary>
    public static ReadOnlySpan<byte> Magic => "M318SNAP"u8;

    /// <summary>
    /// The format version this build writes and reads (2: the UARTs no longer carry a count of
    /// bytes sent, which nothing read; 3: an IDE channel holds each device's pending interrupt
    /// and the drive of the command in progress).
    /// </summary>
    public const ushort Version = 3;

    private const int MaxSections = 4096;
    private const long MaxBody = 4L << 30;
    private readonly Dictionary<string, byte[]> _sections;

    private StateFile(string path, MachineDescription machine, ulong instructions, Dictionary<string, byte[]> sections)
    {
        Path = path;
        Machine = machine;
        Instructions = instructions;
        _sections = sections;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The machine the state was saved from.</summary>
    public MachineDescription Machine { get; }

    /// <summary>Instructions the machine had retired when it was saved.</summary>
    public ulong Instructions { get; }

    /// <summary>The section ids, in the file's order.</summary>
    public IReadOnlyCollection<string> SectionIds => _sections.Keys;

    /// <summary>The bytes of section <paramref name="id"/> (tests compare whole machines section by section).</summary>
    internal byte[] SectionBytes(string id) => _sections[id];

    /// <summary>Whether the file has a section <paramref name="id"/>.</summary>
    public bool Has(string id) => _sections.ContainsKey(id);

    /// <summary>Writes the parts' state to <paramref name="path"/> (through a temporary file, so a failed save leaves no half file).</summary>
    public static long Write(string path, MachineDescription machine, ulong instructions, IEnumerable<(string Id, ISnapshotState Part)> parts)
    {
        var body = new MemoryStream();
        using (var z = new ZLibStream(body, CompressionLevel.Fastest, leaveOpen: true))
        using (var w = new BinaryWriter(z, Encoding.UTF8, leaveOpen: true))
        {
            var section = new MemoryStream();
            var ids = new HashSet<string>();
            foreach (var (id, part) in parts)
            {
                if (id.Length == 0 || !ids.Add(id))
                {
                    throw new SnapshotException($"machine part id '{id}' is empty or used twice");
                }
                section.SetLength(0);
                part.SyncState(StateSync.ForSaving(section, id));
                w.Write(id);
                w.Write((uint)section.Length);
                w.Write(section.GetBuffer(), 0, (int)section.Length);
            }
            w.Write(""); // end of the sections
        }
        byte[] hash = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        string temp = path + ".tmp";
        try
        {
            using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write))
            using (var w = new BinaryWriter(f, Encoding.UTF8))
            {
                w.Write(Magic);
                w.Write(Version);
                w.Write(machine.ToString());
                w.Write(instructions);
                w.Write(body.Length);
                w.Write(hash);
                w.Write(body.GetBuffer(), 0, (int)body.Length);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new SnapshotException($"{path}: cannot write the state file ({e.Message})");
        }
        return new FileInfo(path).Length;
    }

    /// <summary>Reads and checks a state file; every problem is a <see cref="SnapshotException"/> naming the file.</summary>
    public static StateFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SnapshotException($"{path}: cannot read the state file ({e.Message})");
        }
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new SnapshotException($"{path}: not a minix318emu state file (it does not start with M318SNAP)");
        }
        var r = new BinaryReader(new MemoryStream(bytes, Magic.Length, bytes.Length - Magic.Length), Encoding.UTF8);
        try
        {
            ushort version = r.ReadUInt16();
            if (version != Version)
            {
                throw new SnapshotException($"{path}: state format version {version}; this build reads version {Version}");
            }
            MachineDescription machine = MachineDescription.Parse(r.ReadString(), path);
            ulong instructions = r.ReadUInt64();
            long bodyLength = r.ReadInt64();
            byte[] hash = r.ReadBytes(32);
            long bodyStart = Magic.Length + r.BaseStream.Position;
            if (hash.Length != 32 || bodyLength < 0 || bodyLength > MaxBody || bodyStart + bodyLength != bytes.Length)
            {
                throw new SnapshotException($"{path}: truncated or padded: the header announces a {bodyLength}-byte body, the file holds {Math.Max(0, bytes.Length - bodyStart)} bytes after the header");
            }
            var body = bytes.AsSpan((int)bodyStart, (int)bodyLength);
            if (!SHA256.HashData(body).AsSpan().SequenceEqual(hash))
            {
                throw new SnapshotException($"{path}: checksum mismatch: the state file is corrupt");
            }
            return new StateFile(path, machine, instructions, ReadSections(path, bytes, (int)bodyStart, (int)bodyLength));
        }
        catch (EndOfStreamException)
        {
            throw new SnapshotException($"{path}: truncated: the header ends early");
        }
        catch (InvalidDataException e)
        {
            throw new SnapshotException($"{path}: the body does not decompress ({e.Message})");
        }
        catch (FormatException e)
        {
            throw new SnapshotException($"{path}: unreadable header ({e.Message})");
        }
    }

    private static Dictionary<string, byte[]> ReadSections(string path, byte[] bytes, int start, int length)
    {
        var sections = new Dictionary<string, byte[]>();
        using var z = new ZLibStream(new MemoryStream(bytes, start, length), CompressionMode.Decompress);
        using var r = new BinaryReader(z, Encoding.UTF8);
        while (true)
        {
            string id = r.ReadString();
            if (id.Length == 0)
            {
                return sections;
            }
            uint n = r.ReadUInt32();
            if (n > int.MaxValue || sections.Count >= MaxSections || sections.ContainsKey(id))
            {
                throw new SnapshotException($"{path}: section {id} is malformed (length {n}, or repeated)");
            }
            byte[] data = r.ReadBytes((int)n);
            if (data.Length != n)
            {
                throw new SnapshotException($"{path}: section {id} ends early");
            }
            sections.Add(id, data);
        }
    }

    /// <summary>Fails unless the state was saved from a machine described as <paramref name="here"/>; names the first difference.</summary>
    public void RequireMachine(MachineDescription here)
    {
        string? difference = Machine.FirstDifference(here);
        if (difference is not null)
        {
            throw new SnapshotException($"{Path}: made for a different machine: {difference}");
        }
    }

    /// <summary>Loads section <paramref name="id"/> into <paramref name="part"/>; the section must exist and be read exactly.</summary>
    public void Load(string id, ISnapshotState part)
    {
        if (!_sections.TryGetValue(id, out byte[]? data))
        {
            throw new SnapshotException($"{Path}: the state has no section for {id}");
        }
        var stream = new MemoryStream(data, writable: false);
        try
        {
            part.SyncState(StateSync.ForLoading(stream, id));
        }
        catch (SnapshotException e)
        {
            throw new SnapshotException($"{Path}: {e.Message}");
        }
        if (stream.Position != stream.Length)
        {
            throw new SnapshotException($"{Path}: section {id}: {stream.Length - stream.Position} bytes left unread (written by a different layout)");
        }
    }
}
