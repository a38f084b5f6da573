using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Cli.Hosting;

/// <summary>
/// --save-state-at: sits between COM1 and the console like a console script, and when the text
/// has been transmitted ends the run from a clock event at that guest tick, the same tick a
/// script's next step would run at, so a script resumed from the saved state continues exactly
/// where the same script would have gone on in one run.
/// </summary>
public sealed class StateSaveTrigger : ISerialSink
{
    private readonly ISerialSink _inner;
    private readonly string _text;
    private readonly char[] _recent;
    private int _recentCount;
    private PcMachine? _machine;
    private readonly Action<PcMachine>? _act;
    private bool _fired;

    /// <summary>
    /// Creates the trigger in front of <paramref name="inner"/>; it acts once <see cref="Start"/> is
    /// called. By default it ends the run (the session then saves); <paramref name="act"/> replaces
    /// that (a test saves there and lets the run go on).
    /// </summary>
    public StateSaveTrigger(string text, ISerialSink inner, Action<PcMachine>? act = null)
    {
        if (text.Length == 0)
        {
            throw new ArgumentException("the text to wait for is empty", nameof(text));
        }
        _text = text;
        _inner = inner;
        _act = act;
        _recent = new char[text.Length];
    }

    /// <summary>Arms the trigger on <paramref name="machine"/>.</summary>
    public void Start(PcMachine machine) => _machine = machine;

    /// <inheritdoc/>
    public void Write(byte b)
    {
        // The match is looked at before the byte goes on to a console script, so the save comes
        // before the script's next step at the same tick, as it would in a resumed run.
        Watch(b);
        _inner.Write(b);
    }

    private void Watch(byte b)
    {
        if (_fired || _machine is null)
        {
            return;
        }
        if (_recentCount == _recent.Length)
        {
            Array.Copy(_recent, 1, _recent, 0, _recent.Length - 1);
            _recentCount--;
        }
        _recent[_recentCount++] = (char)b;
        if (_recentCount == _text.Length && _recent.AsSpan().SequenceEqual(_text))
        {
            _fired = true;
            PcMachine m = _machine;
            m.Clock.ScheduleHost(m.Clock.Now, () =>
            {
                if (_act is not null)
                {
                    _act(m);
                    return;
                }
                m.Stop(StopReason.StateSaved, 0, $"'{Scripting.TextEscapes.Encode(_text)}' appeared on the console at instruction {m.Cpu.InstructionCount}");
            });
        }
    }

    /// <inheritdoc/>
    public void Flush() => _inner.Flush();
}
