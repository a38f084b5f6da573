using System.Security.Cryptography;
using Minix318Emu.Images.Elf;

namespace Minix318Emu.Tracing.Symbols;

/// <summary>Where an image's code runs: the kernel (every address space) or a user program.</summary>
public enum ImageScope : byte
{
    /// <summary>Kernel code: mapped in every address space, its calls attributed to the kernel process (CR3 0).</summary>
    Kernel,

    /// <summary>A user program (or a MINIX boot module): its calls attributed to the process whose CR3 is loaded.</summary>
    User,
}
