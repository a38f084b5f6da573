namespace Minix318Emu.Cli.Configuration;

/// <summary>A bad option or configuration value; the message is the one line shown to the user (exit code 2).</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException(string message) : base(message)
    {
    }
}
