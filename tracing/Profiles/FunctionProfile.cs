namespace Minix318Emu.Tracing.Profiles;

/// <summary>
/// One hooked function of an allocator profile, as configuration binds it. Value expressions
/// (<see cref="Size"/>, <see cref="Pointer"/>) are: "argN" (the Nth stack argument, cdecl,
/// from 0, unsigned), "int:argN" (the argument as a signed 32-bit integer, e.g. sbrk's intptr_t
/// increment: a negative value is recorded as a size given back), "argN*argM", "argN*C", "mem:argN+OFF" (the 32-bit value at argument N plus OFF,
/// e.g. a zone's element size), "eax" (the result), "out:argN" (the 32-bit value the function
/// stored through pointer argument N, read at its return), or a number.
/// </summary>
public sealed class FunctionProfile
{
    /// <summary>The symbol to hook.</summary>
    public string Symbol { get; set; } = "";

    /// <summary>Other names the same function may have in an image.</summary>
    public List<string> Aliases { get; set; } = new();

    /// <summary>
    /// The images this entry applies to, by file name without extension or, for a MINIX boot
    /// module, by the process name MINIX gives it ("vm" for mod09_vm: the kernel's boot image
    /// table names the i-th module); '*' matches any run of characters; empty for every image
    /// of its scope. Where the same symbol names different
    /// allocators in different images (MINIX318's coremap malloc and its root-level malloc
    /// wrapper; a program linking a UCB malloc instead of libmalloc), an entry whose filter
    /// matches the image wins over one without a filter.
    /// </summary>
    public List<string> Images { get; set; } = new();

    /// <summary>Whether this entry applies to an image of that file name or (when known) MINIX process name.</summary>
    public bool AppliesTo(string imageName, string? processName = null) =>
        Images.Count == 0 || Images.Exists(p => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(p, imageName)
            || (processName is not null && System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(p, processName)));

    /// <summary>The role.</summary>
    public AllocatorRole Role { get; set; }

    /// <summary>The allocator family (pairing a free with an allocation from another family is an anomaly).</summary>
    public string Family { get; set; } = "";

    /// <summary>"kernel" or "user".</summary>
    public string Scope { get; set; } = "kernel";

    /// <summary>How many stack arguments to record (0-4).</summary>
    public int Args { get; set; } = 2;

    /// <summary>Where the size comes from, or empty.</summary>
    public string Size { get; set; } = "";

    /// <summary>Where the pointer being freed (or reallocated) comes from, or empty.</summary>
    public string Pointer { get; set; } = "";

    /// <summary>Arguments are in registers (regparm): EAX, EDX, ECX for the first three. Default: cdecl stack slots.</summary>
    public bool RegParm { get; set; }
}
