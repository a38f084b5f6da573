using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tests.Tracing;

/// <summary>Value expressions of profiles.</summary>
public sealed class ValueExpressionTests
{
    [Theory]
    [InlineData("arg0", ValueExpression.Kinds.Arg, 0, 0, 0u)]
    [InlineData("arg1*arg0", ValueExpression.Kinds.ArgTimesArg, 1, 0, 0u)]
    [InlineData("arg2*4096", ValueExpression.Kinds.ArgTimesConst, 2, 0, 4096u)]
    [InlineData("mem:arg0+0x10", ValueExpression.Kinds.MemAtArgPlus, 0, 0, 16u)]
    [InlineData("out:arg3", ValueExpression.Kinds.OutPointer, 3, 0, 0u)]
    [InlineData("int:arg0", ValueExpression.Kinds.SignedArg, 0, 0, 0u)]
    [InlineData("eax", ValueExpression.Kinds.Result, 0, 0, 0u)]
    [InlineData("512", ValueExpression.Kinds.Constant, 0, 0, 512u)]
    public void Parses(string text, ValueExpression.Kinds kind, int arg, int arg2, uint constant)
    {
        Assert.True(ValueExpression.TryParse(text, out var e));
        Assert.Equal(new ValueExpression(kind, arg, arg2, constant), e);
    }

    [Theory]
    [InlineData("arg4")]
    [InlineData("out:eax")]
    [InlineData("mem:x+1")]
    [InlineData("arg0*")]
    [InlineData("int:4")]
    public void RejectsMalformed(string text) => Assert.False(ValueExpression.TryParse(text, out _));
}
