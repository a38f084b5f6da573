namespace Minix318Emu.Tracing.Profiles;

/// <summary>What a hooked function does, for pairing and the topology.</summary>
public enum AllocatorRole : byte
{
    /// <summary>Returns a new block (malloc, kalloc, kget, boot_kalloc, ...).</summary>
    Alloc,
    /// <summary>Releases a block (free, kfree, boot_kfree, ...).</summary>
    Free,
    /// <summary>Releases the block at the pointer argument and returns a new one.</summary>
    Realloc,
    /// <summary>An element from a zone (zalloc, zget).</summary>
    ZoneAlloc,
    /// <summary>An element back to a zone.</summary>
    ZoneFree,
    /// <summary>A range from a resource map (coremap malloc).</summary>
    MapAlloc,
    /// <summary>A range back to a resource map (mfree).</summary>
    MapFree,
    /// <summary>Where an allocator gets its memory (sbrk, kmem_alloc_wired, vm_map, page_alloc).</summary>
    Backend,
    /// <summary>A lock acquired (to measure the threading model inside allocators).</summary>
    Lock,
    /// <summary>A lock released.</summary>
    Unlock,
}
