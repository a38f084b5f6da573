using System.Diagnostics;
using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Emulator.Machine;

/// <summary>
/// The machine core: RAM, the I/O bus, the CPU and the virtual clock, and the run loop that
/// alternates CPU execution with due events. Devices are attached by the board (devices/).
/// </summary>
public sealed class PcMachine
{
    /// <summary>Default guest clock: 100 million instructions per guest second.</summary>
    public const ulong DefaultTicksPerSecond = 100_000_000;

    private const ulong MaxSlice = 1_000_000; // instructions between checks of the wall clock and Ctrl-C
    private volatile bool _externalStop;
    private volatile bool _debugBreak;
    private volatile IDebugger? _debugger;
    private StopReason _stopReason = StopReason.None;
    private string _stopMessage = "";
    private int _exitCode;

    /// <summary>Creates a machine with <paramref name="ramBytes"/> of RAM.</summary>
    public PcMachine(uint ramBytes, ulong ticksPerSecond = DefaultTicksPerSecond)
    {
        Memory = new PhysicalMemory(ramBytes);
        Io = new IoBus();
        Cpu = new Processor.Cpu(Memory, Io);
        Clock = new VirtualClock(() => Cpu.InstructionCount, ticksPerSecond);
        Cpu.TimeSource = () => Clock.Now; // the TSC runs through idle time too
        Cpu.TicksPerSecond = ticksPerSecond; // and counts at the model's clock rate, not at --ips
        Clock.HorizonLowered = due =>
        {
            ulong now = Clock.Now;
            Cpu.LimitRun(Cpu.InstructionCount + (due > now ? due - now : 0));
        };
    }

    /// <summary>Physical memory.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>The I/O port bus.</summary>
    public IoBus Io { get; }

    /// <summary>The CPU.</summary>
    public Processor.Cpu Cpu { get; }

    /// <summary>The virtual clock and its event queue.</summary>
    public VirtualClock Clock { get; }

    /// <summary>
    /// Paces guest time to the wall clock (for interactive use): when the guest runs ahead, the
    /// loop sleeps; idle time (HLT) passes in real time instead of being skipped. Off by default,
    /// which keeps runs deterministic.
    /// </summary>
    public bool Realtime { get; set; }

    /// <summary>
    /// The attached debugger, or null. Its breakpoints are hooks in the CPU's
    /// <see cref="Processor.Cpu.Hooks"/> registry (owner "gdb"); the run loop asks it why the CPU stopped.
    /// </summary>
    public IDebugger? Debugger
    {
        get => _debugger;
        set => _debugger = value;
    }

    /// <summary>Stop before the first instruction and report it to the debugger.</summary>
    public bool WaitForDebuggerAtStart { get; set; }

    /// <summary>Interrupts a running guest for the debugger (Ctrl-C from gdb); callable from any thread.</summary>
    public void DebugInterrupt()
    {
        _debugBreak = true;
        Cpu.RequestStop();
    }

    /// <summary>
    /// Withdraws an interrupt asked for with <see cref="DebugInterrupt"/> that the stop now being
    /// reported answers (called by the debugger from <see cref="IDebugger.OnStop"/>).
    /// </summary>
    public void CancelDebugInterrupt() => _debugBreak = false;

    /// <summary>Ends the run from a device (exit device, reset, power-off).</summary>
    public void Stop(StopReason reason, int exitCode, string message)
    {
        if (_stopReason == StopReason.None)
        {
            _stopReason = reason;
            _exitCode = exitCode;
            _stopMessage = message;
        }
        Cpu.RequestStop();
    }

    /// <summary>Asks a running machine to stop from another thread (Ctrl-C).</summary>
    public void Interrupt()
    {
        _externalStop = true;
        Cpu.RequestStop();
    }

    /// <summary>Runs the machine until the guest ends it, a limit is reached, or it is interrupted.</summary>
    public RunResult Run(RunLimits limits)
    {
        // A machine stopped by a limit, a timeout, Ctrl-C or the debugger can run on: the last
        // run's reason belongs to that run. One the guest ended (power-off, reset, exit device,
        // halted for good, a triple fault) stays ended, and running it again reports the same end.
        if (_stopReason is StopReason.LimitReached or StopReason.Interrupted or StopReason.StateSaved)
        {
            _stopReason = StopReason.None;
            _exitCode = 0;
            _stopMessage = "";
            _externalStop = false;
        }
        var sw = Stopwatch.StartNew();
        ulong startInstructions = Cpu.InstructionCount;
        ulong startGuestNs = Clock.NowNanoseconds;
        ulong budgetEnd = limits.MaxInstructions == ulong.MaxValue ? ulong.MaxValue : startInstructions + limits.MaxInstructions;
        try
        {
            if (WaitForDebuggerAtStart && _debugger is not null)
            {
                WaitForDebuggerAtStart = false;
                DebugStopped(new DebugStop(DebugStopKind.Initial));
            }
            while (_stopReason == StopReason.None)
            {
                if (_externalStop)
                {
                    Stop(StopReason.Interrupted, (int)StopReason.Interrupted, "interrupted");
                    break;
                }
                if (limits.Timeout is { } t && sw.Elapsed >= t)
                {
                    Stop(StopReason.LimitReached, (int)StopReason.LimitReached, $"timeout of {t.TotalSeconds:0.###} s reached");
                    break;
                }
                if (Cpu.InstructionCount >= budgetEnd)
                {
                    Stop(StopReason.LimitReached, (int)StopReason.LimitReached, $"instruction limit of {limits.MaxInstructions} reached");
                    break;
                }
                ulong now = Clock.Now;
                ulong nextDue = Clock.NextDue;
                ulong until = Cpu.InstructionCount + MaxSlice;
                if (nextDue != ulong.MaxValue && nextDue > now)
                {
                    until = Math.Min(until, Cpu.InstructionCount + (nextDue - now));
                }
                until = Math.Min(until, budgetEnd);
                if (_debugBreak && _debugger is not null)
                {
                    until = Math.Min(until, Cpu.InstructionCount + 1); // an interrupt is waiting: stop at once
                }
                if (nextDue > now)
                {
                    Clock.Horizon = now + (until - Cpu.InstructionCount);
                    Cpu.Run(until);
                    Clock.Horizon = ulong.MaxValue;
                    if (_debugger is not null && (Cpu.StopRequested || _debugBreak) && _stopReason == StopReason.None)
                    {
                        DebugStop? stop = TakeDebugStop();
                        if (stop is not null)
                        {
                            DebugStopped(stop);
                            continue;
                        }
                    }
                }
                Clock.RunDue();
                if (Cpu.Halted && _stopReason == StopReason.None && !Cpu.StopRequested)
                {
                    HandleHalt();
                }
                if (Realtime)
                {
                    Pace(sw, startGuestNs);
                }
            }
        }
        catch (MachineStopException e)
        {
            Stop(e.Reason, (int)e.Reason, e.Message);
        }
        sw.Stop();
        var result = new RunResult(_stopReason, _exitCode, _stopMessage, Cpu.InstructionCount - startInstructions, sw.Elapsed);
        _debugger?.OnExit(result);
        return result;
    }

    /// <summary>Works out why the CPU stopped for the debugger, if it did.</summary>
    private DebugStop? TakeDebugStop()
    {
        if (Cpu.LastWatchHit is { } w)
        {
            Cpu.LastWatchHit = null;
            return new DebugStop(DebugStopKind.Watchpoint, w);
        }
        if (_debugBreak)
        {
            _debugBreak = false;
            return new DebugStop(DebugStopKind.Interrupted);
        }
        uint lin = Cpu.Seg[1].Base + Cpu.Eip;
        if (Cpu.StopRequested && _debugger!.IsBreakpoint(lin))
        {
            return new DebugStop(DebugStopKind.Breakpoint);
        }
        return null;
    }

    /// <summary>Hands control to the debugger until it continues, detaches or kills; steps run here.</summary>
    private void DebugStopped(DebugStop stop)
    {
        while (_debugger is not null)
        {
            // The stop being reported answers every interrupt requested so far. One requested
            // while the debugger decides stays set, and the run loop stops again for it right after
            // the resume (the GDB session withdraws, under its own lock, the ones its stop reply
            // answers, and remembers a Ctrl-C that comes while stopped itself).
            _debugBreak = false;
            DebugAction action = _debugger.OnStop(stop);
            switch (action)
            {
                case DebugAction.Step:
                    Cpu.Step();
                    if (_stopReason != StopReason.None)
                    {
                        return;
                    }
                    stop = Cpu.LastWatchHit is { } w ? new DebugStop(DebugStopKind.Watchpoint, w) : new DebugStop(DebugStopKind.Step);
                    Cpu.LastWatchHit = null;
                    continue;
                case DebugAction.Detach:
                    return; // the debugger stays attached, with nothing set: a client that comes back finds it
                case DebugAction.Kill:
                    Stop(StopReason.Interrupted, (int)StopReason.Interrupted, "killed by the debugger");
                    return;
                case DebugAction.ContinueThenInterrupt:
                    _debugBreak = true; // the run loop runs one instruction, then reports the stop
                    return;
                default:
                    return;
            }
        }
    }

    /// <summary>Sleeps while guest time is ahead of the wall clock.</summary>
    private void Pace(Stopwatch sw, ulong startGuestNs)
    {
        double aheadMs = (Clock.NowNanoseconds - startGuestNs) / 1e6 - sw.Elapsed.TotalMilliseconds;
        if (aheadMs > 1)
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(aheadMs, 50)));
        }
    }

    private void HandleHalt()
    {
        if (Cpu.NmiDeliverable || (Cpu.IF && Cpu.InterruptController is { InterruptPending: true }))
        {
            return; // the next Run delivers it
        }
        if (!Cpu.IF)
        {
            Stop(StopReason.HaltedForever, (int)StopReason.HaltedForever,
                $"the guest halted with interrupts disabled at {Cpu.Seg[1].Selector:X4}:{Cpu.Eip:X8}");
            return;
        }
        if (!Clock.HasEvents)
        {
            Stop(StopReason.HaltedForever, (int)StopReason.HaltedForever,
                $"the guest halted with nothing scheduled that could wake it at {Cpu.Seg[1].Selector:X4}:{Cpu.Eip:X8}");
            return;
        }
        Clock.SkipTo(Clock.NextDue); // idle: jump to the next event
    }
}
