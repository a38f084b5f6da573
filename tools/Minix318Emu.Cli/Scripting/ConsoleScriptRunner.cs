using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Cli.Scripting;

/// <summary>
/// Plays a <see cref="ConsoleScript"/> against COM1: it sits between the UART and the console
/// sink, watching what the guest transmits. When an awaited text has been transmitted, the
/// following steps run from a clock event at that guest tick (sends go into the UART's receive
/// line at once; waits schedule the next step), so where input arrives depends only on guest
/// time, never on the host. Host standard input is not read while a script drives the line.
/// </summary>
public sealed class ConsoleScriptRunner : ISerialSink
{
    private readonly ISerialSink _inner;
    private readonly IReadOnlyList<ConsoleStep> _steps;
    private readonly char[] _recent;
    private int _recentCount;
    private int _next;
    private ConsoleStep? _awaiting;
    private ScheduledEvent? _timeout;
    private PcMachine? _machine;
    private Uart16550? _uart;

    /// <summary>Creates the runner in front of <paramref name="inner"/>; it acts once <see cref="Start"/> is called.</summary>
    public ConsoleScriptRunner(ConsoleScript script, ISerialSink inner)
    {
        _inner = inner;
        _steps = script.Steps;
        _recent = new char[Math.Max(1, script.Steps.Where(s => s.Kind == ConsoleStepKind.Expect).Select(s => s.Text.Length).DefaultIfEmpty(1).Max())];
    }

    /// <summary>Steps completed so far.</summary>
    public int StepsDone => _next - (_awaiting is null ? 0 : 1);

    /// <summary>Whether every step has run.</summary>
    public bool Finished => _next >= _steps.Count && _awaiting is null;

    /// <summary>Starts the script at the current guest time, typing into <paramref name="uart"/>.</summary>
    public void Start(PcMachine machine, Uart16550 uart)
    {
        _machine = machine;
        _uart = uart;
        machine.Clock.ScheduleHost(machine.Clock.Now, Continue);
    }

    /// <inheritdoc/>
    public void Write(byte b)
    {
        _inner.Write(b);
        if (_awaiting is null)
        {
            return;
        }
        if (_recentCount == _recent.Length)
        {
            Array.Copy(_recent, 1, _recent, 0, _recent.Length - 1);
            _recentCount--;
        }
        _recent[_recentCount++] = (char)b;
        string text = _awaiting.Text;
        if (_recentCount >= text.Length && _recent.AsSpan(_recentCount - text.Length, text.Length).SequenceEqual(text))
        {
            _awaiting = null;
            _recentCount = 0; // the next expect only matches text transmitted after this one
            _timeout?.Cancel();
            _machine!.Clock.ScheduleHost(_machine.Clock.Now, Continue);
        }
    }

    /// <inheritdoc/>
    public void Flush() => _inner.Flush();

    /// <summary>Runs steps until one has to wait for the guest or for time.</summary>
    private void Continue()
    {
        PcMachine m = _machine!;
        while (_next < _steps.Count)
        {
            ConsoleStep step = _steps[_next++];
            switch (step.Kind)
            {
                case ConsoleStepKind.Send:
                    _uart!.Receive(System.Text.Encoding.Latin1.GetBytes(step.Text));
                    _uart.Poll();
                    break;
                case ConsoleStepKind.Wait:
                    m.Clock.ScheduleHost(m.Clock.Now + m.Clock.TicksFromNanoseconds(step.Nanoseconds), Continue);
                    return;
                case ConsoleStepKind.Stop:
                    m.Stop(StopReason.ScriptStopped, 0, $"the console script stopped the run (step {_next})");
                    return;
                default:
                    _awaiting = step;
                    int index = _next;
                    _timeout = m.Clock.ScheduleHost(m.Clock.Now + m.Clock.TicksFromNanoseconds(step.TimeoutNanoseconds), () =>
                        m.Stop(StopReason.ExpectTimeout, (int)StopReason.ExpectTimeout,
                            $"console script step {index} ({step}) not seen within {ConsoleScript.FormatDuration(step.TimeoutNanoseconds)} of guest time"));
                    return;
            }
        }
    }
}
