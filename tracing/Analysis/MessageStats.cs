namespace Minix318Emu.Tracing.Analysis;

/// <summary>The delivered messages: how many, requests and replies, and the busiest (sender, receiver, type) triples.</summary>
public sealed record MessageStats(long Delivered, long Requests, long Replies, List<MessageFlow> Busiest);
