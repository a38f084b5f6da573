namespace Minix318Emu.Tests.Support;

/// <summary>Locates files of the repository from the test's output folder.</summary>
internal static class Repo
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Minix318Emu.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException("cannot find the repository root (Minix318Emu.sln) above " + AppContext.BaseDirectory);
    });

    public static string Root => s_root.Value;

    public static string Guests => Path.Combine(Root, "images", "guests");

    public static string Guest(string name) => Path.Combine(Guests, "bin", name + ".elf");

    /// <summary>Finds an executable on PATH, or null.</summary>
    public static string? Which(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            string p = Path.Combine(dir, name);
            if (File.Exists(p))
            {
                return p;
            }
        }
        return null;
    }
}
