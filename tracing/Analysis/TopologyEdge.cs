namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// An edge of the topology, by process name: caller -> allocator ("call"), allocator -> nested
/// allocator/backend/lock ("nested"), a server's request handler -> the allocator it called
/// while serving a request ("serves"), or a cross-process "ipc" edge: from a client process's
/// traced call chain in progress (<see cref="From"/>, such as "malloc => sbrk => brk"; empty
/// when it had none) to the server's request handler (<see cref="To"/>) in
/// <see cref="ToProcess"/>, by message type; Calls counts the requests and Bytes what the
/// server allocated while serving them (its outermost allocating calls).
/// </summary>
public sealed record TopologyEdge(string Process, string From, string To, string Kind, long Calls, ulong Bytes)
{
    /// <summary>The server process of an "ipc" edge.</summary>
    public string? ToProcess { get; init; }

    /// <summary>The message type of an "ipc" edge ("VM_BRK (0xc02)").</summary>
    public string? Message { get; init; }
}
