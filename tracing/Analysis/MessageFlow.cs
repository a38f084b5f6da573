namespace Minix318Emu.Tracing.Analysis;

/// <summary>Messages of one type from one process name to another.</summary>
public sealed record MessageFlow(string From, string To, string Message, long Requests, long Replies);
