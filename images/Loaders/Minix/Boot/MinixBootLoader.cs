using Minix318Emu.Images.Disk;

namespace Minix318Emu.Images.Minix.Boot;

/// <summary>
/// Does what MINIX's boot monitor (sys/arch/i386/stand/boot/boot2.c and lib/exec.c) does with
/// a disk, without running it: takes the active MINIX partition (the one the MBR and
/// bootxx_minixfs3 start the monitor from), reads /boot.cfg, and plays a menu entry's
/// commands (split at ';') up to its `multiboot`: `load_mods DIR/PATTERN` adds every name
/// in DIR matching PATTERN (libsa's fnmatch: '?' and '*') in strcmp order, `load PATH` adds
/// one module, `modules on|off` switches passing them, `consdev` and `vesa` only concern the
/// monitor's own screen. `multiboot FILE ARGS` gives the kernel and its command line,
/// "FILE ARGS" exactly as exec_multiboot() builds it; each module's string is its path.
/// No variables are expanded: the monitor passes boot.cfg's text as it is (update_bootcfg
/// substitutes $rootdevname when it writes boot.cfg on MINIX).
/// </summary>
public static class MinixBootLoader
{
    /// <summary>The largest kernel or module read (the monitor has no limit; a damaged size should not allocate gigabytes).</summary>
    public const int MaxFileBytes = 256 << 20;

    /// <summary>
    /// Plans the boot of <paramref name="disk"/>: entry <paramref name="entryNumber"/> (from 1),
    /// or boot.cfg's default. Errors are <see cref="ImageFormatException"/>s naming the image.
    /// </summary>
    public static MinixBootPlan Plan(MinixDisk disk, int? entryNumber)
    {
        DiskVolume volume = BootVolume(disk);
        MinixFileSystem fs = MinixFileSystem.Open(volume);
        BootConfig cfg = ReadConfig(fs);
        if (cfg.Menu.Count == 0)
        {
            throw fs.Error("/boot.cfg has no menu entries (the boot monitor would fall back to a NetBSD kernel called netbsd)");
        }
        int index = entryNumber is { } n ? n - 1 : cfg.DefaultIndex;
        if (index < 0 || index >= cfg.Menu.Count)
        {
            throw fs.Error($"boot entry {entryNumber} does not exist: /boot.cfg has {cfg.Menu.Count} ({string.Join(", ", cfg.Menu.Select(e => $"{e.Number} {e.Description}"))})");
        }
        BootMenuEntry entry = cfg.Menu[index];
        if (entry.Command is "prompt" or "edit")
        {
            throw fs.Error($"boot entry {entry.Number} ({entry.Description}) opens the boot monitor's {entry.Command}, which needs a person at the console; choose an entry that boots");
        }

        var modulePaths = new List<string>(cfg.Loads.Select(l => l.TrimStart(' ', '\t')));
        bool modulesEnabled = true;
        foreach (string command in SplitCommands(entry.Command))
        {
            (string name, string args) = SplitWord(command);
            switch (name)
            {
                case "load_mods":
                    modulePaths.AddRange(Glob(fs, args, entry));
                    break;
                case "load":
                    modulePaths.Add(args);
                    break;
                case "modules":
                    modulesEnabled = args switch
                    {
                        "on" or "enabled" => true,
                        "off" or "disabled" => false,
                        _ => modulesEnabled,
                    };
                    break;
                case "consdev" or "vesa":
                    break;
                case "multiboot":
                    return Boot(fs, cfg, entry, args, modulesEnabled ? modulePaths : []);
                default:
                    throw fs.Error($"boot entry {entry.Number} ({entry.Description}): the command '{command}' is not one the built-in loader plays (load_mods, load, modules, consdev, vesa, multiboot)");
            }
        }
        throw fs.Error($"boot entry {entry.Number} ({entry.Description}) has no multiboot command: {entry.Command}");
    }

    /// <summary>
    /// The volume the monitor starts from: the active primary partition, which must be a MINIX
    /// one (its first sub-partition holding a file system, or itself); a disk that is one file
    /// system boots from itself.
    /// </summary>
    public static DiskVolume BootVolume(MinixDisk disk)
    {
        if (disk.Partitions is null)
        {
            return disk.Volumes[0];
        }
        DiskVolume active = disk.Volumes.FirstOrDefault(v => v.Partition is { Parent: null, Active: true })
            ?? throw new ImageFormatException(disk.Disk.Name, "no active partition: the MBR boots the active one");
        PartitionEntry p = active.Partition!;
        if (p.Type != PartitionEntry.MinixType)
        {
            throw new ImageFormatException(disk.Disk.Name, $"the active partition {p.Name} is type 0x{p.Type:X2} ({p.TypeName}), not MINIX (0x81)");
        }
        return disk.Volumes.FirstOrDefault(v => v.Partition?.Parent == active.Name && MinixFileSystem.HasMagic(v)) ?? active;
    }

    /// <summary>Reads and parses /boot.cfg of <paramref name="fs"/>; a missing, odd or oversized file is an error.</summary>
    public static BootConfig ReadConfig(MinixFileSystem fs)
    {
        MfsInode file;
        try
        {
            file = fs.Resolve("/boot.cfg");
        }
        catch (ImageFormatException) when (fs.Lookup(fs.ReadInode(MinixFileSystem.RootInode), "boot.cfg") is null)
        {
            throw fs.Error("no /boot.cfg: nothing says what to boot");
        }
        if (file.Type != MfsFileType.Regular)
        {
            throw fs.Error($"/boot.cfg is a {MinixFileSystem.Describe(file.Type)}");
        }
        if (file.FileSize > BootConfig.MaxSize)
        {
            throw fs.Error($"/boot.cfg is {file.FileSize} bytes; the boot monitor ignores one larger than {BootConfig.MaxSize}");
        }
        return BootConfig.Parse(fs.ReadAll(file, BootConfig.MaxSize));
    }

    private static MinixBootPlan Boot(MinixFileSystem fs, BootConfig cfg, BootMenuEntry entry, string args, IReadOnlyList<string> modulePaths)
    {
        (string kernelPath, string kernelArgs) = SplitWord(args);
        if (kernelPath.Length == 0)
        {
            throw fs.Error($"boot entry {entry.Number} ({entry.Description}): multiboot names no kernel");
        }
        BootFileData kernel = ReadFile(fs, kernelPath, entry) ?? throw fs.Error($"boot entry {entry.Number} ({entry.Description}): the kernel {kernelPath} does not exist");
        var modules = new List<BootFileData>();
        var warnings = new List<string>();
        foreach (string path in modulePaths)
        {
            BootFileData? m = ReadFile(fs, path, entry);
            if (m is null)
            {
                warnings.Add($"couldn't open {path}: the boot monitor leaves it out");
            }
            else
            {
                modules.Add(m);
            }
        }
        return new MinixBootPlan(fs.Volume.Name, cfg, entry, kernel, kernelPath + " " + kernelArgs, modules, warnings);
    }

    /// <summary>A regular file's bytes, or null when there is no such file (the monitor's open() fails).</summary>
    private static BootFileData? ReadFile(MinixFileSystem fs, string path, BootMenuEntry entry)
    {
        if (path.Contains(':'))
        {
            throw fs.Error($"boot entry {entry.Number}: {path}: device prefixes (hd0a:) are not supported by the built-in loader");
        }
        string absolute = path.StartsWith('/') ? path : "/" + path;
        MfsInode inode;
        try
        {
            inode = fs.Resolve(absolute);
        }
        catch (ImageFormatException e) when (e.Problem.Contains("no such file or directory", StringComparison.Ordinal))
        {
            return null;
        }
        if (inode.Type != MfsFileType.Regular)
        {
            throw fs.Error($"boot entry {entry.Number}: {path} is a {MinixFileSystem.Describe(inode.Type)}, not a file to load");
        }
        return new BootFileData(path, fs.ReadAll(inode, MaxFileBytes));
    }

    /// <summary>load_mods DIR/PATTERN: the matching names in DIR, sorted by strcmp, as DIR/NAME.</summary>
    private static IEnumerable<string> Glob(MinixFileSystem fs, string spec, BootMenuEntry entry)
    {
        int slash = spec.LastIndexOf('/');
        string dir = slash < 0 ? "/" : spec[..slash];
        string pattern = spec[(slash + 1)..];
        if (pattern.Length == 0)
        {
            throw fs.Error($"boot entry {entry.Number}: load_mods {spec} has no file name pattern");
        }
        MfsInode d = fs.Resolve(dir.Length == 0 ? "/" : dir);
        if (d.Type != MfsFileType.Directory)
        {
            throw fs.Error($"boot entry {entry.Number}: load_mods {spec}: {dir} is not a directory");
        }
        return fs.ReadDirectory(d)
            .Select(e => e.Name)
            .Where(name => Fnmatch(name, pattern))
            .Order(StringComparer.Ordinal)
            .Select(name => (slash < 0 ? "/" : dir + "/") + name)
            .ToList();
    }

    /// <summary>
    /// libsa's fnmatch() (sys/lib/libsa/fnmatch.c), quirks included: '?' matches one character,
    /// and a '*' is resolved by searching, after the character that first differed, for the
    /// pattern character that follows it, so "*_ds" does not match "_ds".
    /// </summary>
    public static bool Fnmatch(string name, string pattern)
    {
        int f = 0, p = 0;
        char fc, pc;
        do
        {
            fc = f < name.Length ? name[f++] : '\0';
            pc = p < pattern.Length ? pattern[p++] : '\0';
            if (fc == '\0' && pc == '\0')
            {
                return true;
            }
            if (pc == '?' && fc != '\0')
            {
                pc = fc;
            }
        }
        while (fc == pc);
        if (pc != '*')
        {
            return false;
        }
        pc = p < pattern.Length ? pattern[p++] : '\0';
        if (pc == '\0')
        {
            return true;
        }
        string rest = pattern[p..];
        for (int at = name.IndexOf(pc, f); at >= 0; at = name.IndexOf(pc, at + 1))
        {
            if (Fnmatch(name[(at + 1)..], rest))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A menu entry's commands as the monitor splits them: at ';', trailing blanks cut, blanks after a ';' skipped, empty ones dropped.</summary>
    public static IReadOnlyList<string> SplitCommands(string commands)
    {
        var list = new List<string>();
        int i = 0;
        do
        {
            int start = i;
            while (i < commands.Length && commands[i] != ';')
            {
                i++;
            }
            string one = commands[start..i].TrimEnd(' ');
            if (i < commands.Length)
            {
                i++;
            }
            if (one.Length > 0)
            {
                list.Add(one);
            }
            while (i < commands.Length && commands[i] == ' ')
            {
                i++;
            }
        }
        while (i < commands.Length);
        return list;
    }

    /// <summary>gettrailer(): the text up to the first blank, and the rest without its leading blanks.</summary>
    private static (string Head, string Tail) SplitWord(string text)
    {
        int blank = text.IndexOfAny([' ', '\t']);
        return blank < 0 ? (text, "") : (text[..blank], text[(blank + 1)..].TrimStart(' ', '\t'));
    }
}
