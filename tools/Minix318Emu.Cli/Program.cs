using CommandLine;
using Minix318Emu.Cli.Commands;
using Minix318Emu.Cli.Commands.Image;
using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Options;
using Minix318Emu.Images;

namespace Minix318Emu.Cli;

/// <summary>The `minix318emu` command line.</summary>
public static class Program
{
    /// <summary>Entry point: parses the verb and maps user errors to one-line messages and exit code 2.</summary>
    public static int Main(string[] args)
    {
        if (args is ["--version"])
        {
            // On stdout with exit code 0, as tools print their version (the parser's goes to stderr as a parse "error").
            Console.WriteLine($"minix318emu {Version}");
            return 0;
        }
        var parser = new Parser(s =>
        {
            s.AllowMultiInstance = true;
            s.HelpWriter = Console.Error;
            s.CaseInsensitiveEnumValues = true;
        });
        try
        {
            RepeatedOptions.Check(args);
            return parser.ParseArguments<RunOptions, TraceOptions, AnalyzeOptions, QueryOptions, BenchOptions, ConformanceOptions, ImageOptions>(args).MapResult(
                (RunOptions o) => RunCommand.Execute(WithArguments(o, args)),
                (TraceOptions o) => TraceCommand.Execute(WithArguments(o, args)),
                (AnalyzeOptions o) => AnalyzeCommand.Execute(o),
                (QueryOptions o) => QueryCommand.Execute(o),
                (BenchOptions o) => BenchCommand.Execute(o),
                (ConformanceOptions o) => ConformanceCommand.Execute(o),
                (ImageOptions o) => ImageCommand.Execute(o),
                errors => errors.IsHelp() ? 0 : ExitCodes.BadInput);
        }
        catch (UsageException e)
        {
            return Fail(e.Message);
        }
        catch (ImageFormatException e)
        {
            return Fail(e.Message);
        }
        catch (Emulator.Snapshots.SnapshotException e)
        {
            return Fail(e.Message);
        }
        catch (FileNotFoundException e)
        {
            return Fail(e.Message);
        }
        catch (Minix318Emu.Emulator.Machine.MachineStopException e)
        {
            // A device ended the run before the machine ran (a disk changed under the boot loader's reads).
            Fail(e.Message);
            return (int)e.Reason;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file the user named that cannot be read or written as asked (a folder, no permission,
            // no space left): its message names the path.
            return Fail(e.Message);
        }
        finally
        {
            Serilog.Log.CloseAndFlush();
        }
    }

    /// <summary>The informational version: the package version and the commit it was built from.</summary>
    public static string Version =>
        typeof(Program).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

    private static T WithArguments<T>(T options, string[] args) where T : MachineOptions
    {
        options.RawArguments = args;
        return options;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"minix318emu: {message}");
        return ExitCodes.BadInput;
    }
}
