namespace Minix318Emu.Tracing.Profiles;

/// <summary>The role sets the tracer and the analyzer share (written once, so they cannot drift).</summary>
public static class AllocatorRoles
{
    /// <summary>Whether a call in this role hands out memory (its result is a new block or range).</summary>
    public static bool Allocates(this AllocatorRole r) =>
        r is AllocatorRole.Alloc or AllocatorRole.ZoneAlloc or AllocatorRole.MapAlloc or AllocatorRole.Backend or AllocatorRole.Realloc;

    /// <summary>Whether a call in this role gives memory back (its pointer argument is released).</summary>
    public static bool Releases(this AllocatorRole r) =>
        r is AllocatorRole.Free or AllocatorRole.ZoneFree or AllocatorRole.MapFree or AllocatorRole.Realloc;
}
