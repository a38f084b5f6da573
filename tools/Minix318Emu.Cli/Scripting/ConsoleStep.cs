namespace Minix318Emu.Cli.Scripting;

/// <summary>
/// One step of a console script: the text to expect or send (escapes already decoded), or the
/// guest time to wait. <see cref="TimeoutNanoseconds"/> bounds an Expect in guest time.
/// </summary>
public sealed record ConsoleStep(ConsoleStepKind Kind, string Text, ulong Nanoseconds, ulong TimeoutNanoseconds)
{
    /// <summary>How the step reads in messages: `expect "login: "`.</summary>
    public override string ToString() => Kind switch
    {
        ConsoleStepKind.Wait => $"wait {ConsoleScript.FormatDuration(Nanoseconds)}",
        ConsoleStepKind.Stop => "stop",
        _ => $"{Kind.ToString().ToLowerInvariant()} \"{TextEscapes.Encode(Text)}\"",
    };
}
