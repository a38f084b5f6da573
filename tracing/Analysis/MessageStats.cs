namespace Minix318Emu.Tracing.Analysis;

/// <summary>The delivered messages: how many, requests and replies, and the busiest (sender, receiver, type) triples.</summary>
public sealed record MessageStats(long Delivered, long Requests, long Replies, List<MessageFlow> Busiest);

/// <summary>Messages of one type from one process name to another.</summary>
public sealed record MessageFlow(string From, string To, string Message, long Requests, long Replies);
