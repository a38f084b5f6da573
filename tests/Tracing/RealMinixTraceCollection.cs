using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Tests.Tracing;

/// <summary>The tests that share one traced boot of the real MINIX.</summary>
[CollectionDefinition(Name)]
public sealed class RealMinixTraceCollection : ICollectionFixture<RealMinixBootFixture>
{
    public const string Name = "real MINIX trace";
}
