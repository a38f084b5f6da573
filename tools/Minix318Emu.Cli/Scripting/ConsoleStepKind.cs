namespace Minix318Emu.Cli.Scripting;

/// <summary>What a console-script step does.</summary>
public enum ConsoleStepKind
{
    /// <summary>Wait until the text appears on the console.</summary>
    Expect,

    /// <summary>Type the text on the serial line.</summary>
    Send,

    /// <summary>Let guest time pass.</summary>
    Wait,

    /// <summary>End the run (exit code 0).</summary>
    Stop,
}
