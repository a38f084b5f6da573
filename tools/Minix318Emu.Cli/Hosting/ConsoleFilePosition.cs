using System.Security.Cryptography;
using Minix318Emu.Cli.Configuration;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Cli.Hosting;

/// <summary>
/// How much of a console file (COM1 written to a file) the saving run had written, and the
/// SHA-256 of those bytes: a continued `trace` (--continue-trace) checks that its console file
/// still begins with them, cuts off anything written after the save (an earlier continuation
/// from the same state) and appends, so the file ends as the uninterrupted run's console.
/// The console is written unbuffered, so the file's length at the save is what the guest had sent.
/// </summary>
public sealed class ConsoleFilePosition : ISnapshotState
{
    /// <summary>The state section that holds it.</summary>
    public const string StateId = "console-file";

    /// <summary>Bytes of the console file at the save.</summary>
    public long Bytes { get; private set; }

    /// <summary>SHA-256 of those bytes.</summary>
    public byte[] Sha256 { get; private set; } = new byte[32];

    /// <summary>The position of <paramref name="path"/> as it is now.</summary>
    public static ConsoleFilePosition Of(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new ConsoleFilePosition { Bytes = f.Length, Sha256 = SHA256.HashData(f) };
    }

    /// <summary>
    /// Makes <paramref name="path"/> end where the saving run's console ended, ready to be
    /// appended to; a file that does not begin with the saved bytes is refused, left alone.
    /// </summary>
    public void Truncate(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{option}: {path} does not exist; the saving run's console ({Bytes} bytes) is not there to continue");
        }
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (f.Length < Bytes)
        {
            throw new UsageException($"{option}: {path} has {f.Length} bytes, fewer than the {Bytes} the saving run's console had");
        }
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[1 << 16];
            long left = Bytes;
            while (left > 0)
            {
                int n = f.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0)
                {
                    break;
                }
                hash.AppendData(buffer, 0, n);
                left -= n;
            }
            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(Sha256))
            {
                throw new UsageException($"{option}: {path} does not begin with the console the state was saved with");
            }
        }
        f.SetLength(Bytes);
    }

    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        Bytes = (long)s.U64((ulong)Bytes);
        if (Bytes < 0)
        {
            throw s.Corrupt($"a console of {(ulong)Bytes} bytes");
        }
        s.Bytes(Sha256);
    }
}
