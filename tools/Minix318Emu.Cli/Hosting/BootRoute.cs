namespace Minix318Emu.Cli.Hosting;

/// <summary>How a session's machine is started: the ways in that every verb shares.</summary>
public enum BootRoute
{
    /// <summary>A Multiboot v1 kernel and its modules, loaded directly (GRUB's and QEMU -kernel's convention).</summary>
    Multiboot,

    /// <summary>A Linux bzImage (and initrd) through the 32-bit boot protocol.</summary>
    Linux,

    /// <summary>A firmware image run from the reset vector (--bios).</summary>
    Firmware,

    /// <summary>A MINIX disk (--disk without --kernel): the built-in boot loader plays a boot.cfg entry and loads it by multiboot.</summary>
    MinixDisk,
}
