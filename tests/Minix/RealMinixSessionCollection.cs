namespace Minix318Emu.Tests.Minix;

/// <summary>The tests that share one console-script boot of the real MINIX (the session tests and the snapshot resumed from it).</summary>
[CollectionDefinition(Name)]
public sealed class RealMinixSessionCollection : ICollectionFixture<RealMinixSessionTests.Boot>
{
    public const string Name = "real MINIX session";
}
