using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Model;

/// <summary>The trace header.</summary>
public sealed record TraceHeader(int Version, string Profile, ulong TicksPerSecond, IReadOnlyList<TraceImage> Images)
{
    /// <summary>The header of a new trace (current format version) of <paramref name="images"/> under <paramref name="profile"/>.</summary>
    public static TraceHeader For(string profile, IEnumerable<TracedImage> images, ulong ticksPerSecond) =>
        new(Format.TraceFormat.Version, profile, ticksPerSecond, images.Select(i => new TraceImage(i.Name, i.Sha256, i.Scope)).ToList());
}
