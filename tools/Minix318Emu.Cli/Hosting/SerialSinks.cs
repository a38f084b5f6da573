using Minix318Emu.Cli.Configuration;
using Minix318Emu.Devices.Serial;

namespace Minix318Emu.Cli.Hosting;

/// <summary>Turns the --serial setting into a sink.</summary>
public static class SerialSinks
{
    /// <summary>Creates the sink for <paramref name="spec"/> (stdio, file:PATH, none); with <paramref name="append"/> a file is continued, not replaced.</summary>
    public static ISerialSink Create(string spec, bool append = false)
    {
        if (spec == "stdio")
        {
            return new StreamSerialSink(Console.OpenStandardOutput());
        }
        if (spec == "none")
        {
            return new NullSerialSink();
        }
        if (spec.StartsWith("file:", StringComparison.Ordinal) && spec.Length > 5)
        {
            string path = spec[5..];
            try
            {
                // Unbuffered: every byte reaches the file as the guest transmits it, so a prompt without a
                // newline ("login: ") is there for whoever watches the file, as with QEMU's file chardev.
                return new StreamSerialSink(new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
            {
                throw new UsageException($"--serial {spec}: cannot create the file ({e.Message})");
            }
        }
        throw new UsageException($"--serial '{spec}': expected stdio, file:PATH or none");
    }
}
