using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Model;

/// <summary>A symbolised code address: the address and the "function+0xoff" it falls in (empty if unknown).</summary>
public readonly record struct TraceFrame(uint Address, string Symbol, string Function)
{
    /// <summary>Makes a frame, deriving the function name (without the offset; the address when unknown).</summary>
    public static TraceFrame Of(uint address, string symbol)
    {
        int plus = symbol.IndexOf('+');
        string function = symbol.Length == 0 ? $"0x{address:x8}" : plus < 0 ? symbol : symbol[..plus];
        return new TraceFrame(address, symbol, function);
    }
}
