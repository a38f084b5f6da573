using Minix318Emu.Cli.Commands;

namespace Minix318Emu.Tests.Cli;

/// <summary>Signed differences in bench tables: one sign, and zero is "+0.0" whichever side it rounded from.</summary>
public sealed class SignedNumberTests
{
    [Theory]
    [InlineData(-0.04, 1, "+0.0")] // .NET's "+0.0;-0.0" gave "-+0.0" here, which CI's bench table test caught
    [InlineData(0.04, 1, "+0.0")]
    [InlineData(-0.05, 1, "-0.1")]
    [InlineData(12.34, 1, "+12.3")]
    [InlineData(-1.26, 1, "-1.3")]
    [InlineData(-0.0004, 3, "+0.000")]
    [InlineData(0.1234, 3, "+0.123")]
    public void Format_HasExactlyOneSign(double value, int decimals, string expected) =>
        Assert.Equal(expected, SignedNumber.Format(value, decimals));
}
