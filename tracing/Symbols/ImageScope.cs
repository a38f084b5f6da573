using System.Security.Cryptography;
using Minix318Emu.Images.Elf;

namespace Minix318Emu.Tracing.Symbols;

/// <summary>Where an image's code runs: the kernel (every address space) or a user program.</summary>
public enum ImageScope : byte
{
    Kernel,
    User,
}
