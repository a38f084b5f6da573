namespace Minix318Emu.Tracing.Model;

/// <summary>What a delivered message was to its receiver, by the IPC call the receiver was blocked in.</summary>
public enum IpcKind : byte
{
    /// <summary>A request: the receiver was in RECEIVE (a server's main loop), so what it does next serves this message.</summary>
    Request,
    /// <summary>A reply: the receiver was in SENDREC and this is its answer; it goes on with what it was doing.</summary>
    Reply,
}
