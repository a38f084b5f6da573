namespace Minix318Emu.Tests.Support;

/// <summary>
/// How many inputs a fuzz test tries: its default in CI (fixed PCG streams, so the same inputs
/// every run), or MINIX318EMU_FUZZ_CASES for longer runs by hand.
/// </summary>
internal static class FuzzBudget
{
    public static int Cases(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("MINIX318EMU_FUZZ_CASES"), out int n) && n > 0 ? n : ciDefault;
}
