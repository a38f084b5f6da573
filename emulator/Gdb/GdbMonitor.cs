using System.Globalization;
using System.Text;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Emulator.Gdb;

/// <summary>The stub's `monitor` commands: what gdb cannot ask for directly.</summary>
public static class GdbMonitor
{
    /// <summary>The help text.</summary>
    public const string Help =
        "monitor commands:\n" +
        "  help                      this text\n" +
        "  info registers            general, segment, control and descriptor-table registers\n" +
        "  xp ADDR [LEN]             physical memory (hex dump, LEN bytes, default 64)\n" +
        "  instructions              instructions retired and guest time\n" +
        "  trace on|off|status       allocation tracing (when the run is a `trace`): switch it, or show the live heap\n";

    /// <summary>Runs <paramref name="command"/> against the stopped machine and returns its output.</summary>
    public static string Run(PcMachine machine, string command)
    {
        string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0] == "help")
        {
            return Help;
        }
        switch (words[0])
        {
            case "info" when words.Length > 1 && words[1].StartsWith("reg", StringComparison.Ordinal):
                return machine.Cpu.DumpRegisters() + "\n";
            case "xp":
                return PhysicalDump(machine, words);
            case "instructions":
                return $"{machine.Cpu.InstructionCount} instructions, guest time {machine.Clock.NowNanoseconds} ns\n";
            case "trace":
                return "allocation tracing is not active in this run (start it with `minix318emu trace`)\n";
            default:
                return $"unknown monitor command '{command}'; try 'monitor help'\n";
        }
    }

    private static string PhysicalDump(PcMachine machine, string[] words)
    {
        if (words.Length < 2 || !TryNumber(words[1], out uint addr))
        {
            return "usage: xp ADDR [LEN]\n";
        }
        uint len = 64;
        if (words.Length > 2 && (!TryNumber(words[2], out len) || len > 4096))
        {
            return "xp: LEN must be a number up to 4096\n";
        }
        var sb = new StringBuilder();
        for (uint i = 0; i < len; i += 16)
        {
            sb.Append($"{addr + i:x8}:");
            for (uint j = 0; j < 16 && i + j < len; j++)
            {
                sb.Append($" {machine.Memory.Read8(addr + i + j):x2}");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static bool TryNumber(string s, out uint v) =>
        s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v)
            : uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
}
