namespace Minix318Emu.Cli.Hosting;

/// <summary>
/// Writes a file under a temporary name beside it (NAME.partial) and renames it into place once
/// complete, so a run interrupted by Ctrl-C, a kill or a full disk leaves either the previous
/// file, or a NAME.partial that says it is unfinished, never a half-written NAME that looks whole.
/// The rename is atomic on one file system (rename(2)).
/// </summary>
public static class AtomicFile
{
    /// <summary>The temporary name a file is written under.</summary>
    public static string PartialName(string path) => path + ".partial";

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, given the temporary path; returns what it returned (false: nothing is renamed).</summary>
    public static bool Write(string path, Func<string, bool> write)
    {
        string partial = PartialName(path);
        try
        {
            if (!write(partial))
            {
                File.Delete(partial);
                return false;
            }
            File.Move(partial, path, overwrite: true);
            return true;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> whole or not at all.</summary>
    public static void WriteAllText(string path, string text) => Write(path, p =>
    {
        File.WriteAllText(p, text);
        return true;
    });
}
