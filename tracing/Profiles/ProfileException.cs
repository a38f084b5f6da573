using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Minix318Emu.Tracing.Profiles;

/// <summary>A profile that cannot be used; the message names it and the problem.</summary>
public sealed class ProfileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProfileException(string message) : base(message)
    {
    }
}
