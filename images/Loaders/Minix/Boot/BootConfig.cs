namespace Minix318Emu.Images.Minix.Boot;

/// <summary>
/// /boot.cfg as MINIX's boot monitor reads it (perform_bootcfg(), sys/lib/libsa/bootcfg.c, in
/// the NetBSD-derived boot2): text up to a NUL, one "key=value" per line, '#' starting a
/// comment, lines without '=' ignored. Keys are recognised by their first letters as the
/// monitor compares them (strncmp), so "menu" covers "menu2" too: menu (at most 20 entries),
/// banner (12 lines), timeout (seconds; not a digit means wait forever), default (1-based),
/// consdev, format, clear, load (a module, added when the file is read). Other keys are
/// ignored. Afterwards the default is clamped into the menu, and a numbered menu with a
/// timeout keeps at most nine entries.
/// </summary>
public sealed class BootConfig
{
    /// <summary>The largest boot.cfg the monitor reads (parsebootconf() passes 32768); a larger one is ignored.</summary>
    public const int MaxSize = 32768;

    /// <summary>BOOTCFG_MAXMENU.</summary>
    public const int MaxMenu = 20;

    /// <summary>BOOTCFG_MAXBANNER.</summary>
    public const int MaxBanner = 12;

    private const int DefaultTimeout = 10;

    private BootConfig(IReadOnlyList<string> banner, int timeout, int defaultIndex, string? consoleDevice, BootMenuFormat format, bool clear, IReadOnlyList<BootMenuEntry> menu, IReadOnlyList<string> loads)
    {
        Banner = banner;
        Timeout = timeout;
        DefaultIndex = defaultIndex;
        ConsoleDevice = consoleDevice;
        Format = format;
        Clear = clear;
        Menu = menu;
        Loads = loads;
    }

    /// <summary>banner= lines.</summary>
    public IReadOnlyList<string> Banner { get; }

    /// <summary>Seconds before the default entry boots; -1 waits for a choice.</summary>
    public int Timeout { get; }

    /// <summary>The default entry, from 0; -1 when the menu is empty.</summary>
    public int DefaultIndex { get; }

    /// <summary>consdev= (pc, com0..com3, ...), or null.</summary>
    public string? ConsoleDevice { get; }

    /// <summary>How entries are numbered.</summary>
    public BootMenuFormat Format { get; }

    /// <summary>clear=: whether the screen is cleared first.</summary>
    public bool Clear { get; }

    /// <summary>The menu.</summary>
    public IReadOnlyList<BootMenuEntry> Menu { get; }

    /// <summary>Modules from load= lines, loaded for whichever entry boots.</summary>
    public IReadOnlyList<string> Loads { get; }

    /// <summary>Parses the file's bytes.</summary>
    public static BootConfig Parse(ReadOnlySpan<byte> file)
    {
        int nul = file.IndexOf((byte)0);
        string text = System.Text.Encoding.Latin1.GetString(nul < 0 ? file : file[..nul]);
        var banner = new List<string>();
        var menu = new List<BootMenuEntry>();
        var loads = new List<string>();
        int timeout = DefaultTimeout;
        int def = 0;
        string? consdev = null;
        var format = BootMenuFormat.Auto;
        bool clear = false;
        foreach (string rawLine in text.Split('\n'))
        {
            int hash = rawLine.IndexOf('#');
            string line = hash < 0 ? rawLine : rawLine[..hash];
            int eq = line.IndexOf('=');
            if (eq < 0)
            {
                continue;
            }
            string key = line[..eq];
            string value = line[(eq + 1)..];
            if (key.StartsWith("menu", StringComparison.Ordinal))
            {
                int colon = value.IndexOf(':');
                if (menu.Count < MaxMenu && colon >= 0)
                {
                    string desc = value[..colon];
                    string command = value[(colon + 1)..];
                    menu.Add(new BootMenuEntry(menu.Count + 1, desc.Length == 0 ? command : desc, command));
                }
            }
            else if (key.StartsWith("banner", StringComparison.Ordinal))
            {
                if (banner.Count < MaxBanner)
                {
                    banner.Add(value);
                }
            }
            else if (key.StartsWith("timeout", StringComparison.Ordinal))
            {
                timeout = value.Length > 0 && char.IsAsciiDigit(value[0]) ? Atoi(value) : -1;
            }
            else if (key.StartsWith("default", StringComparison.Ordinal))
            {
                def = Atoi(value) - 1;
            }
            else if (key.StartsWith("consdev", StringComparison.Ordinal))
            {
                consdev = value;
            }
            else if (key.StartsWith("load", StringComparison.Ordinal))
            {
                loads.Add(value);
            }
            else if (key.StartsWith("format", StringComparison.Ordinal))
            {
                format = value.Length == 0 ? format : value[0] switch
                {
                    'a' or 'A' => BootMenuFormat.Auto,
                    'n' or 'N' or 'd' or 'D' => BootMenuFormat.Numbers,
                    'l' or 'L' => BootMenuFormat.Letters,
                    _ => format,
                };
            }
            else if (key.StartsWith("clear", StringComparison.Ordinal))
            {
                clear = Atoi(value) != 0;
            }
        }
        if (format == BootMenuFormat.Auto)
        {
            format = menu.Count > 9 && timeout > 0 ? BootMenuFormat.Letters : BootMenuFormat.Numbers;
        }
        else if (format == BootMenuFormat.Numbers && menu.Count > 9 && timeout > 0)
        {
            menu.RemoveRange(9, menu.Count - 9);
        }
        if (def < 0)
        {
            def = 0;
        }
        if (def >= menu.Count)
        {
            def = menu.Count - 1;
        }
        return new BootConfig(banner, timeout, def, consdev, format, clear, menu, loads);
    }

    /// <summary>C's atoi: leading blanks, a sign, digits up to the first other character; 0 when there are none.</summary>
    private static int Atoi(string s)
    {
        int i = 0;
        while (i < s.Length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
        {
            i++;
        }
        bool negative = i < s.Length && s[i] == '-';
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            i++;
        }
        long n = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]) && n < int.MaxValue; i++)
        {
            n = n * 10 + (s[i] - '0');
        }
        return (int)Math.Clamp(negative ? -n : n, int.MinValue, int.MaxValue);
    }
}
