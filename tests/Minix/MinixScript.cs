namespace Minix318Emu.Tests.Minix;

/// <summary>The console sessions the real-MINIX tests play: log in as root, run commands, power off with MINIX's own poweroff.</summary>
internal static class MinixScript
{
    /// <summary>The text the session writes to /root/note.txt.</summary>
    public const string Note = "written-by-the-minix318emu-test";

    /// <summary>Logs in, runs <paramref name="commands"/> one prompt at a time, then powers off.</summary>
    public static string[] LoginRunPowerOff(params string[] commands)
    {
        var lines = new List<string> { "timeout 120s", "expect \"login: \"", "sendline root", "expect \"# \"" };
        foreach (string c in commands)
        {
            lines.Add("sendline " + c);
            lines.Add("expect \"# \"");
        }
        lines.Add("sendline /sbin/poweroff");
        return lines.ToArray();
    }
}
