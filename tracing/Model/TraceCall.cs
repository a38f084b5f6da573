using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Model;

/// <summary>
/// One traced call: written when it returns (or at the end of the run if it never did). Ids are
/// given at entry, so <see cref="Parent"/> (the innermost traced call it was nested in, or -1)
/// refers to an earlier id even though parents are written after their children. The up to
/// four arguments are stored inline: a trace holds millions of these.
/// </summary>
public sealed class TraceCall
{
    private readonly uint _a0, _a1, _a2, _a3;
    private readonly byte _argc;

    /// <summary>Creates a call record.</summary>
    public TraceCall(long id, long parent, int function, int process, ulong entry, ulong exit, bool returned,
        ReadOnlySpan<uint> args, ulong size, uint pointer, uint result, TraceFrame caller, TraceFrame[] stack,
        long request = -1, bool negative = false)
    {
        Request = request;
        Negative = negative;
        Id = id;
        Parent = parent;
        Function = function;
        Process = process;
        Entry = entry;
        Exit = exit;
        Returned = returned;
        _argc = (byte)Math.Min(args.Length, 4);
        if (_argc > 0) _a0 = args[0];
        if (_argc > 1) _a1 = args[1];
        if (_argc > 2) _a2 = args[2];
        if (_argc > 3) _a3 = args[3];
        Size = size;
        Pointer = pointer;
        Result = result;
        Caller = caller;
        Stack = stack;
    }

    /// <summary>The call's id, given in entry order from 0.</summary>
    public long Id { get; }

    /// <summary>The id of the innermost traced call of the same process in progress when it began, or -1 (an outermost call).</summary>
    public long Parent { get; }

    /// <summary>The hooked function's id (<see cref="Format.TraceFile.Functions"/>).</summary>
    public int Function { get; }

    /// <summary>The process's id (<see cref="Format.TraceFile.Processes"/>).</summary>
    public int Process { get; }

    /// <summary>The guest tick at which the function was entered.</summary>
    public ulong Entry { get; }

    /// <summary>The guest tick at which it returned, or the end of the run (or of the jump over it) when it did not.</summary>
    public ulong Exit { get; }

    /// <summary>Whether it returned; false for a call still in progress at the end, or one a longjmp left.</summary>
    public bool Returned { get; }

    /// <summary>The size in bytes (the magnitude when <see cref="Negative"/>).</summary>
    public ulong Size { get; }

    /// <summary>The size expression was signed and below zero: sbrk with a negative increment gives <see cref="Size"/> bytes back.</summary>
    public bool Negative { get; }

    /// <summary>The IPC request (<see cref="TraceIpc.Id"/>) its process was serving when the call began, or -1.</summary>
    public long Request { get; }

    /// <summary>The pointer being freed or reallocated (from the profile's pointer expression), or 0.</summary>
    public uint Pointer { get; }

    /// <summary>EAX at the return: the allocated address for an allocator; 0 when it did not return.</summary>
    public uint Result { get; }

    /// <summary>The return address's frame: where the function was called from (<see cref="Stack"/>[0]).</summary>
    public TraceFrame Caller { get; }

    /// <summary>The call stack at entry by the EBP chain, innermost first: the return address, then each saved frame's.</summary>
    public TraceFrame[] Stack { get; }

    /// <summary>Number of recorded arguments.</summary>
    public int ArgCount => _argc;

    /// <summary>Argument <paramref name="i"/> (0-3).</summary>
    public uint Arg(int i) => i switch { 0 => _a0, 1 => _a1, 2 => _a2, _ => _a3 };

    /// <summary>The arguments as a new array.</summary>
    public uint[] Args
    {
        get
        {
            var a = new uint[_argc];
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = Arg(i);
            }
            return a;
        }
    }
}
