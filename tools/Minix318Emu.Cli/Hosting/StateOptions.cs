using System.Diagnostics;
using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Scripting;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Cli.Hosting;

/// <summary>Checks the --save-state, --save-state-at and --load-state options and resumes a booted machine from a state file.</summary>
public static class StateOptions
{
    /// <summary>Refuses combinations that cannot work; reads and checks the --load-state file, if any (before anything boots).</summary>
    public static StateFile? Check(EmulatorSettings s)
    {
        if (s.SaveStateAt.Length > 0 && s.SaveState.Length == 0)
        {
            throw new UsageException($"--save-state-at {s.SaveStateAt} needs --save-state FILE (where to save)");
        }
        if (s.SaveStateAt.Length > 0)
        {
            string text;
            try
            {
                text = TextEscapes.Decode(s.SaveStateAt);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--save-state-at: {e.Message}");
            }
            if (text.Length == 0)
            {
                throw new UsageException("--save-state-at: the text is empty");
            }
        }
        if (s.SaveState.Length > 0)
        {
            if (s.SaveState.Trim().Length == 0)
            {
                throw new UsageException("--save-state: the path is empty");
            }
            if (s.Persist)
            {
                throw new UsageException("--save-state cannot be used with --persist: the disk files go on changing after the save, so the state could not be resumed against them");
            }
            string? dir = Path.GetDirectoryName(Path.GetFullPath(s.SaveState));
            if (dir is not null && !Directory.Exists(dir))
            {
                throw new UsageException($"--save-state {s.SaveState}: the folder {dir} does not exist");
            }
        }
        if (s.LoadState.Length == 0)
        {
            return null;
        }
        if (s.Persist)
        {
            throw new UsageException("--load-state cannot be used with --persist: the state's disk contents are an overlay over the unchanged image files");
        }
        if (!File.Exists(s.LoadState))
        {
            throw new UsageException($"--load-state {s.LoadState}: no such file");
        }
        return StateFile.Read(s.LoadState);
    }

    /// <summary>Replaces the booted machine's state with the file's (which must belong to this machine).</summary>
    public static void Resume(BootedPc pc, StateFile state)
    {
        var sw = Stopwatch.StartNew();
        pc.Board.LoadState(state);
        Console.Error.WriteLine($"minix318emu: resumed from {state.Path} at instruction {pc.Machine.Cpu.InstructionCount} (loaded in {sw.Elapsed.TotalMilliseconds:0} ms)");
    }
}
