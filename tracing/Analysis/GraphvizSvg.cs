using System.Diagnostics;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// topology.svg: the DOT graph laid out by Graphviz's `dot` program (a separate install, package
/// graphviz). When `dot` is missing or fails, nothing is written and the caller is told why in one
/// line, so the user knows what to install (topology.dot holds the same graph either way).
/// </summary>
public static class GraphvizSvg
{
    /// <summary>The program that lays the graph out.</summary>
    public const string Program = "dot";

    /// <summary>Why there is no SVG when `dot` is not on PATH.</summary>
    public const string NotInstalled = "Graphviz's `dot` program is not on PATH (install graphviz; topology.dot holds the same graph)";

    /// <summary>The full path of `dot` on PATH, or null when it is not there.</summary>
    public static string? FindDot()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        foreach (string dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, Program);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// Renders <paramref name="dot"/> to SVG at <paramref name="path"/>; false (and no file) with
    /// <paramref name="problem"/> saying why when `dot` is not installed or fails.
    /// </summary>
    public static bool TryRender(string dot, string path, out string problem)
    {
        string? exe = FindDot();
        if (exe is null)
        {
            problem = NotInstalled;
            return false;
        }
        var psi = new ProcessStartInfo(exe, "-Tsvg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process? started;
        try
        {
            started = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            problem = $"{exe} could not be started: {e.Message}";
            return false;
        }
        using Process p = started ?? throw new InvalidOperationException($"{exe} did not start");
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        try
        {
            p.StandardInput.Write(dot);
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // dot stopped reading (it exits at the first syntax error): its exit code and message say why.
        }
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            string first = error.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
            problem = $"{exe} -Tsvg exited with code {p.ExitCode}: {first}";
            return false;
        }
        File.WriteAllText(path, output.Result);
        problem = "";
        return true;
    }
}
