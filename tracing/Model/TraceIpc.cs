namespace Minix318Emu.Tracing.Model;

/// <summary>
/// A message the kernel delivered (a MINIX guest only): when, to which process, from which
/// endpoint (the process, when the sender's slot still holds it; -1 otherwise, such as a
/// sender that has exited), the message type, and the innermost traced call the sender had in
/// progress (-1 for none) — for a client blocked in brk's SENDREC to VM that is its brk call,
/// for a process whose page fault the kernel reports to VM, the call that touched the page.
/// Calls a process makes while serving a <see cref="IpcKind.Request"/> name it as their
/// <see cref="TraceCall.Request"/>: that is the cross-process edge.
/// </summary>
public sealed record TraceIpc(long Id, IpcKind Kind, ulong Time, int Receiver, int Sender, int SenderEndpoint, uint MessageType, long SenderCall);
