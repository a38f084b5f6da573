namespace Minix318Emu.Images.Minix.Boot;

/// <summary>A boot.cfg menu line, "menu=DESCRIPTION:COMMANDS" (an empty description shows the commands).</summary>
/// <param name="Number">Its number in the menu, from 1 (what --boot-entry and "default=" count).</param>
/// <param name="Description">The text the menu shows.</param>
/// <param name="Command">The commands, separated by ';'.</param>
public sealed record BootMenuEntry(int Number, string Description, string Command);
