namespace Minix318Emu.Images.Minix;

/// <summary>The file type in the top bits of an inode's mode (I_TYPE, octal 0170000).</summary>
public enum MfsFileType
{
    /// <summary>A type value MINIX does not define.</summary>
    Unknown = 0,

    /// <summary>I_NAMED_PIPE 0010000.</summary>
    Fifo = 0x1000,

    /// <summary>I_CHAR_SPECIAL 0020000.</summary>
    CharDevice = 0x2000,

    /// <summary>I_DIRECTORY 0040000.</summary>
    Directory = 0x4000,

    /// <summary>I_BLOCK_SPECIAL 0060000.</summary>
    BlockDevice = 0x6000,

    /// <summary>I_REGULAR 0100000.</summary>
    Regular = 0x8000,

    /// <summary>I_SYMBOLIC_LINK 0120000.</summary>
    Symlink = 0xA000,

    /// <summary>I_UNIX_SOCKET 0140000.</summary>
    Socket = 0xC000,
}
