using Microsoft.Win32.SafeHandles;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Devices.Storage;

/// <summary>A disk image cannot be used; the message names the file and the problem.</summary>
public sealed class DiskImageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DiskImageException(string path, string problem) : base($"{path}: {problem}")
    {
    }
}
