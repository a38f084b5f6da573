using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Emulator.Gdb;

/// <summary>
/// One GDB client's protocol session and the machine's debugger. The reader thread answers
/// packets; the machine thread blocks in <see cref="OnStop"/> while the guest is stopped, so
/// every register and memory access happens with the guest standing still. A client that
/// disconnects without detaching counts as a detach: breakpoints go and the guest runs on.
/// </summary>
public sealed class GdbSession : IDebugger, IDisposable
{
    private readonly PcMachine _machine;
    private readonly object _lock = new();
    private readonly HashSet<uint> _softBreaks = new();
    private readonly HashSet<uint> _hardBreaks = new();
    private readonly Dictionary<uint, HookRegistration> _breakHooks = new(); // one CPU hook per address with a Z0 or Z1
    private volatile bool _interruptPending; // a 0x03 not yet answered by a stop
    private readonly List<(uint Addr, uint Len, WatchKind Kind)> _watches = new();
    private BlockingCollection<DebugAction> _actions = new();
    private GdbPacketChannel? _channel;
    private volatile bool _stopped;          // the machine thread is inside OnStop
    private bool _clearAtNextStop;           // a client left while the guest ran: its breakpoints go at the next stop, on the machine's thread
    private volatile bool _awaitingStopReply; // a c/s was sent: the next stop is reported
    private DebugStop _lastStop = new(DebugStopKind.Initial);
    private int _exitCode = -1;

    /// <summary>Creates the session for <paramref name="machine"/>.</summary>
    public GdbSession(PcMachine machine) => _machine = machine;

    private Processor.Cpu Cpu => _machine.Cpu;

    /// <summary>Whether a client is connected.</summary>
    public bool Attached => _channel is not null;

    /// <summary>
    /// Extra monitor commands from outside the emulator (the tracer's "trace on|off|status"):
    /// returns the output, or null when the command is not its own.
    /// </summary>
    public Func<string, string?>? MonitorExtension { get; set; }

    /// <summary>Packets answered (statistics).</summary>
    public long PacketsHandled { get; private set; }

    /// <summary>Takes <paramref name="socket"/> as the client unless one is attached.</summary>
    internal bool TryAttach(Socket socket)
    {
        lock (_lock)
        {
            if (_channel is not null)
            {
                return false;
            }
            _channel = new GdbPacketChannel(socket) { Interrupt = OnInterruptByte };
            _machine.Debugger = this; // a client that comes back after a detach is consulted again
        }
        var t = new Thread(() => Serve(_channel)) { IsBackground = true, Name = "gdb session" };
        t.Start();
        return true;
    }

    /// <summary>
    /// The client's 0x03. While the guest runs it stops it; while it is stopped (or just being
    /// resumed) it is remembered, and the guest stops again right after the next resume, so gdb
    /// never waits on a running target for an interrupt it sent.
    /// </summary>
    private void OnInterruptByte()
    {
        lock (_lock)
        {
            // Decided under the lock with which OnStop marks the machine stopped: an interrupt
            // sent before that is answered by the stop being reported, one sent after it by the
            // stop right after the resume, never by both.
            _interruptPending = true;
            if (!_stopped)
            {
                _awaitingStopReply = true;
                _machine.DebugInterrupt();
            }
        }
    }

    // ---- IDebugger (machine thread) ----------------------------------------------------

    /// <inheritdoc/>
    public bool IsBreakpoint(uint linear)
    {
        lock (_lock)
        {
            return _softBreaks.Contains(linear) || _hardBreaks.Contains(linear);
        }
    }

    /// <inheritdoc/>
    public DebugAction OnStop(DebugStop stop)
    {
        _lastStop = stop;
        lock (_lock)
        {
            // This stop answers every interrupt asked for before it is reported (gdb's 0x03, or a
            // client attaching with '?' while the machine was already on its way to this stop):
            // none may stop the guest again after the resume, or the client that sent 'c' would
            // get a second stop reply it never asked for and wait forever for the one it expects.
            _interruptPending = false;
            _machine.CancelDebugInterrupt();
            if (_clearAtNextStop)
            {
                // A client left while the guest ran: what it set goes now, on this thread (the
                // guest is standing still), before a new client hears of this stop. A stop no
                // client is there to hear (its breakpoint, hit after it left) is not kept.
                _clearAtNextStop = false;
                ClearAllBreakpoints();
                if (_channel is null && stop.Kind != DebugStopKind.Initial)
                {
                    return DebugAction.Continue;
                }
            }
            // Under the lock that Release takes: a reply owed to a client that has just left is
            // never sent to the next one (which would read it as the answer to a later packet).
            _stopped = true;
            if (_awaitingStopReply)
            {
                _awaitingStopReply = false;
                _channel?.Send(StopReply(stop));
            }
        }
        DebugAction action;
        try
        {
            action = _actions.Take();
        }
        catch (InvalidOperationException)
        {
            action = DebugAction.Detach; // the session was disposed
        }
        _stopped = false;
        if (_interruptPending && action == DebugAction.Continue)
        {
            // An interrupt came while stopped or while this continue was being taken.
            _awaitingStopReply = true;
            return DebugAction.ContinueThenInterrupt;
        }
        return action;
    }

    /// <inheritdoc/>
    public void OnExit(RunResult result)
    {
        _exitCode = result.ExitCode & 0xFF;
        if (_channel is { } c)
        {
            c.Send($"W{_exitCode:x2}");
        }
    }

    private string StopReply(DebugStop stop)
    {
        string reason = stop.Kind switch
        {
            // gdb reads the PC as EIP and drops a swbreak/hwbreak stop with no breakpoint of its own
            // there as one it has since removed: it would resume. Where CS's base is not 0 (real mode
            // at F000:E05B, linear 0xFE05B) the breakpoint's linear address is not EIP, so the stop
            // is reported as a plain SIGTRAP, which gdb shows and stops at, as with QEMU's stub.
            DebugStopKind.Breakpoint when Cpu.Seg[SegReg.Cs].Base != 0 => "",
            DebugStopKind.Breakpoint => IsSoftBreak(Cpu.Eip) ? "swbreak:;" : "hwbreak:;",
            DebugStopKind.Watchpoint when stop.Watch is { } w => $"{(w.Kind == WatchKind.Write ? "watch" : w.Kind == WatchKind.Read ? "rwatch" : "awatch")}:{w.Address:x};",
            _ => "",
        };
        int signal = stop.Kind == DebugStopKind.Interrupted ? 2 : 5;
        return $"T{signal:x2}{reason}thread:01;";
    }

    private bool IsSoftBreak(uint lin)
    {
        lock (_lock)
        {
            return _softBreaks.Contains(lin);
        }
    }

    // ---- the reader thread ---------------------------------------------------------------

    private void Serve(GdbPacketChannel channel)
    {
        try
        {
            while (true)
            {
                string? packet = channel.ReadPacket();
                if (packet is null)
                {
                    break;
                }
                PacketsHandled++;
                string? reply = Handle(packet, out bool close);
                if (close)
                {
                    Release(channel); // free the slot before the reply, so a client reconnecting at once is taken
                }
                if (reply is not null)
                {
                    channel.Send(reply);
                }
                if (close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The connection ended under the reader.
        }
        catch (Exception e)
        {
            // A bug here must not take the emulator down: report it and drop the client.
            Serilog.Log.Error(e, "gdb: session failed");
        }
        Disconnect(channel);
    }

    /// <summary>A client that leaves without 'D' is detached: breakpoints and watchpoints are removed and the guest runs on.</summary>
    private void Disconnect(GdbPacketChannel channel)
    {
        lock (_lock)
        {
            // Decided with the slot given up, under one lock: a client attaching at once must not
            // find the guest "stopped" just before this resumes it.
            if (Release(channel))
            {
                ResumeIfStopped(DebugAction.Continue);
            }
        }
        channel.Dispose();
    }

    /// <summary>
    /// A departing client's end while the guest stands still: its breakpoints go (safe from this
    /// thread, the guest is stopped) and the guest resumes with <paramref name="action"/>, decided
    /// under the lock, so a client attaching at once is never told of a stop that is being resumed.
    /// </summary>
    private void ResumeIfStopped(DebugAction action)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                ClearAllBreakpoints();
                _stopped = false; // running from now on: a client that attaches next must not be told of the old stop
                Post(action);
            }
        }
    }

    /// <summary>Gives up the client slot if <paramref name="channel"/> holds it; true if it did.</summary>
    private bool Release(GdbPacketChannel channel)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_channel, channel))
            {
                return false;
            }
            _channel = null;
            // What the departing client asked for goes with it: its stop reply, and an interrupt
            // byte not yet answered (which would stop the guest again with nobody attached).
            _awaitingStopReply = false;
            _interruptPending = false;
            if (!_stopped)
            {
                // Left while the guest runs: its interrupt is withdrawn, and its breakpoints are
                // removed at the next stop on the machine's thread (removing a hook re-decodes
                // blocks, which this thread must not do under a running guest).
                _machine.CancelDebugInterrupt();
                _clearAtNextStop = true;
            }
            return true;
        }
    }

    /// <summary>Answers one packet; null means no reply now (the stop reply comes later).</summary>
    internal string? Handle(string p, out bool close)
    {
        close = false;
        if (p.Length == 0)
        {
            return "";
        }
        char cmd = p[0];
        string args = p[1..];
        switch (cmd)
        {
            case '?':
                if (_exitCode >= 0)
                {
                    return $"W{_exitCode:x2}"; // the run is over: its exit status is the last stop there will be
                }
                lock (_lock)
                {
                    if (!_stopped)
                    {
                        // Attaching to a running guest stops it first, as QEMU does; the reply follows the stop
                        // (decided under the lock with which the machine marks itself stopped, so it is sent once).
                        _awaitingStopReply = true;
                        _machine.DebugInterrupt();
                        return null;
                    }
                }
                return StopReply(_lastStop);
            case 'g':
                return Stopped(ReadAllRegisters);
            case 'G':
                return Stopped(() => WriteAllRegisters(args));
            case 'p':
                return Stopped(() => ReadRegister(args));
            case 'P':
                return Stopped(() => WriteRegister(args));
            case 'm':
                return Stopped(() => ReadMemory(args));
            case 'M':
                return Stopped(() => WriteMemoryHex(args));
            case 'X':
                return Stopped(() => WriteMemoryBinary(args));
            case 'c':
            case 'C':
                return Resume(DebugAction.Continue, cmd == 'c' ? args : AfterSemicolon(args));
            case 's':
            case 'S':
                return Resume(DebugAction.Step, cmd == 's' ? args : AfterSemicolon(args));
            case 'Z':
            case 'z':
                return Stopped(() => Breakpoint(cmd == 'Z', args));
            case 'k':
                close = true;
                Kill();
                return null;
            case 'D':
                close = true;
                // Running: Release, right after this reply, has the breakpoints removed at the next stop.
                ResumeIfStopped(DebugAction.Detach);
                return "OK";
            case 'H':
            case 'T':
                return "OK";
            case 'q':
                return Query(args);
            case 'Q':
                if (args == "StartNoAckMode")
                {
                    _channel?.Send("OK");
                    if (_channel is not null)
                    {
                        _channel.AckMode = false;
                    }
                    return null;
                }
                return "";
            case 'v':
                return VPacket(args, out close);
            default:
                return ""; // unknown packets get the empty reply
        }
    }

    private static string AfterSemicolon(string s)
    {
        int i = s.IndexOf(';');
        return i < 0 ? "" : s[(i + 1)..];
    }

    private string Stopped(Func<string> f) => _stopped ? f() : "E16"; // EBUSY: the guest is running

    private string? Resume(DebugAction action, string address)
    {
        if (!_stopped)
        {
            return "E16";
        }
        if (address.Length > 0 && TryParseHex(address, out uint a))
        {
            Cpu.Eip = a;
        }
        _awaitingStopReply = action is DebugAction.Continue or DebugAction.Step;
        Post(action);
        return null; // the stop reply is sent when the machine stops again
    }

    /// <summary>Hands a resume action to the machine thread (ignored once the session is closed).</summary>
    private void Post(DebugAction action)
    {
        try
        {
            _actions.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The session was disposed: the machine thread no longer waits for actions.
        }
    }

    private void Kill()
    {
        if (_stopped)
        {
            Post(DebugAction.Kill);
        }
        else
        {
            _machine.Interrupt();
        }
    }

    private string? VPacket(string args, out bool close)
    {
        close = false;
        if (args == "Cont?")
        {
            return "vCont;c;C;s;S";
        }
        if (args.StartsWith("Cont;", StringComparison.Ordinal))
        {
            // All-stop with one thread: the first action decides (s/S step, c/C continue).
            string first = args[5..].Split(';')[0];
            char a = first.Length > 0 ? first[0] : 'c';
            return Resume(a is 's' or 'S' ? DebugAction.Step : DebugAction.Continue, "");
        }
        if (args.StartsWith("Kill", StringComparison.Ordinal))
        {
            close = true;
            Kill();
            return "OK";
        }
        return ""; // vMustReplyEmpty and everything else
    }

    private string Query(string q)
    {
        if (q.StartsWith("Supported", StringComparison.Ordinal))
        {
            return $"PacketSize={GdbPacketChannel.MaxPacket:x};qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+";
        }
        if (q.StartsWith("Xfer:features:read:target.xml:", StringComparison.Ordinal))
        {
            return XferRead(GdbRegisters.TargetXml(), q["Xfer:features:read:target.xml:".Length..]);
        }
        if (q.StartsWith("Xfer:features:read:", StringComparison.Ordinal))
        {
            return "E00"; // no other annex
        }
        switch (q)
        {
            case "Attached":
                return "1";
            case "C":
                return "QC01";
            case "fThreadInfo":
                return "m01";
            case "sThreadInfo":
                return "l";
            case "Symbol::":
                return "OK";
        }
        if (q.StartsWith("Rcmd,", StringComparison.Ordinal))
        {
            return Stopped(() => Monitor(q[5..]));
        }
        return "";
    }

    private static string XferRead(string document, string range)
    {
        string[] parts = range.Split(',');
        if (parts.Length != 2 || !TryParseHex(parts[0], out uint offset) || !TryParseHex(parts[1], out uint length))
        {
            return "E00";
        }
        if (offset >= document.Length)
        {
            return "l";
        }
        int n = (int)Math.Min(length, (uint)(document.Length - (int)offset));
        bool last = offset + n >= document.Length;
        return (last ? "l" : "m") + document.Substring((int)offset, n);
    }

    // ---- registers and memory (only while stopped) -------------------------------------

    private string ReadAllRegisters()
    {
        var sb = new StringBuilder();
        for (int n = 0; n < GdbRegisters.Count; n++)
        {
            GdbRegisters.AppendHex(sb, Cpu, n);
        }
        return sb.ToString();
    }

    private string WriteAllRegisters(string hex)
    {
        byte[]? bytes = FromHex(hex);
        if (bytes is null)
        {
            return "E01";
        }
        int at = 0;
        for (int n = 0; n < GdbRegisters.Count && at + GdbRegisters.Size(n) <= bytes.Length; n++)
        {
            GdbRegisters.Set(Cpu, n, bytes.AsSpan(at, GdbRegisters.Size(n)));
            at += GdbRegisters.Size(n);
        }
        return "OK";
    }

    private string ReadRegister(string args)
    {
        if (!TryParseHex(args, out uint n) || n >= GdbRegisters.Count)
        {
            return "E01";
        }
        var sb = new StringBuilder();
        GdbRegisters.AppendHex(sb, Cpu, (int)n);
        return sb.ToString();
    }

    private string WriteRegister(string args)
    {
        int eq = args.IndexOf('=');
        if (eq < 0 || !TryParseHex(args[..eq], out uint n) || n >= GdbRegisters.Count || FromHex(args[(eq + 1)..]) is not { } bytes)
        {
            return "E01";
        }
        return GdbRegisters.Set(Cpu, (int)n, bytes) ? "OK" : "E01";
    }

    private string ReadMemory(string args)
    {
        if (!TryAddressLength(args, out uint addr, out uint len) || len > GdbPacketChannel.MaxPacket / 2)
        {
            return "E01";
        }
        var buf = new byte[len];
        if (!Cpu.TryReadLinear(addr, buf))
        {
            return "E14"; // EFAULT: not mapped in the current address space
        }
        return Convert.ToHexStringLower(buf);
    }

    private string WriteMemoryHex(string args)
    {
        int colon = args.IndexOf(':');
        if (colon < 0 || !TryAddressLength(args[..colon], out uint addr, out uint len) || FromHex(args[(colon + 1)..]) is not { } data || data.Length != len)
        {
            return "E01";
        }
        return Cpu.TryWriteLinear(addr, data) ? "OK" : "E14";
    }

    private string WriteMemoryBinary(string args)
    {
        int colon = args.IndexOf(':');
        if (colon < 0 || !TryAddressLength(args[..colon], out uint addr, out uint len))
        {
            return "E01";
        }
        string raw = args[(colon + 1)..];
        if (raw.Length != len)
        {
            return "E01";
        }
        byte[] data = Encoding.Latin1.GetBytes(raw);
        return len == 0 || Cpu.TryWriteLinear(addr, data) ? "OK" : "E14";
    }

    // ---- breakpoints and watchpoints -----------------------------------------------------

    private string Breakpoint(bool insert, string args)
    {
        string[] parts = args.Split(',');
        if (parts.Length < 3 || !int.TryParse(parts[0], out int type) || !TryParseHex(parts[1], out uint addr) || !TryParseHex(parts[2].Split(';')[0], out uint kind))
        {
            return "E01";
        }
        lock (_lock)
        {
            switch (type)
            {
                case 0:
                case 1:
                {
                    // Breakpoints are execution hooks: guest memory is never modified.
                    HashSet<uint> set = type == 0 ? _softBreaks : _hardBreaks;
                    HashSet<uint> other = type == 0 ? _hardBreaks : _softBreaks;
                    if (insert)
                    {
                        if (set.Add(addr) && !other.Contains(addr))
                        {
                            _breakHooks[addr] = Cpu.Hooks.Add(addr, "gdb", static _ => true);
                        }
                    }
                    else if (set.Remove(addr) && !other.Contains(addr) && _breakHooks.Remove(addr, out HookRegistration? hook))
                    {
                        Cpu.Hooks.Remove(hook); // only gdb's hook: a tracer's hook at the same address stays
                    }
                    return "OK";
                }
                case 2:
                case 3:
                case 4:
                {
                    var wk = type == 2 ? WatchKind.Write : type == 3 ? WatchKind.Read : WatchKind.Access;
                    if (insert)
                    {
                        _watches.Add((addr, kind, wk));
                        Cpu.AddWatch(addr, kind, wk);
                    }
                    else
                    {
                        _watches.Remove((addr, kind, wk));
                        Cpu.RemoveWatch(addr, kind, wk);
                    }
                    return "OK";
                }
                default:
                    return "";
            }
        }
    }

    private void ClearAllBreakpoints()
    {
        lock (_lock)
        {
            foreach (HookRegistration hook in _breakHooks.Values)
            {
                Cpu.Hooks.Remove(hook);
            }
            _breakHooks.Clear();
            _softBreaks.Clear();
            _hardBreaks.Clear();
            foreach (var w in _watches)
            {
                Cpu.RemoveWatch(w.Addr, w.Len, w.Kind);
            }
            _watches.Clear();
        }
    }

    // ---- monitor commands --------------------------------------------------------------

    private string Monitor(string hex)
    {
        byte[]? b = FromHex(hex);
        string command = b is null ? "" : Encoding.ASCII.GetString(b).Trim();
        string output = MonitorExtension?.Invoke(command) ?? GdbMonitor.Run(_machine, command);
        if (!output.EndsWith('\n'))
        {
            output += "\n";
        }
        _channel?.Send("O" + Convert.ToHexStringLower(Encoding.ASCII.GetBytes(output)));
        return "OK";
    }

    // ---- helpers -----------------------------------------------------------------------

    private static bool TryParseHex(string s, out uint v) =>
        uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v);

    private static bool TryAddressLength(string s, out uint addr, out uint len)
    {
        addr = len = 0;
        string[] parts = s.Split(',');
        return parts.Length == 2 && TryParseHex(parts[0], out addr) && TryParseHex(parts[1], out len);
    }

    private static byte[]? FromHex(string s)
    {
        if (s.Length % 2 != 0)
        {
            return null;
        }
        try
        {
            return Convert.FromHexString(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        GdbPacketChannel? c;
        lock (_lock)
        {
            c = _channel;
        }
        c?.Dispose();
        _actions.CompleteAdding();
    }
}
