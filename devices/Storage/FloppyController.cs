using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Storage;

/// <summary>
/// An 82077AA-compatible floppy disk controller with no drive attached, answering as real
/// hardware does so that drivers which probe it neither hang nor crash: DOR, MSR/DSR, the FIFO
/// with SPECIFY, SENSE INTERRUPT STATUS, RECALIBRATE and SEEK (IRQ 6, the absent drive reported
/// as an equipment check), SENSE DRIVE STATUS, VERSION, CONFIGURE, PERPENDICULAR MODE, LOCK,
/// DUMPREG, and the data commands ending at once with "not ready". Reset (DOR bit 2 or DSR bit 7)
/// raises IRQ 6 with the four polling results. Ports 0x3F0-0x3F5 and 0x3F7 (0x3F6 is IDE's).
/// </summary>
public sealed class FloppyController : IPortDevice
{
    public const ushort Base = 0x3F0;

    private const byte MsrRqm = 0x80, MsrDio = 0x40, MsrBusy = 0x10;
    private const byte St0AbnormalTermination = 0x40, St0SeekEnd = 0x20, St0EquipmentCheck = 0x10, St0NotReady = 0x08;

    private readonly IInterruptLine _irq6;
    private readonly List<byte> _command = new();
    private readonly Queue<byte> _result = new();
    private readonly Queue<(byte St0, byte Pcn)> _interrupts = new(); // pending SENSE INTERRUPT STATUS answers
    private byte _dor = 0x0C;
    private byte _configure = 0x20;
    private bool _locked;

    public FloppyController(IInterruptLine irq6) => _irq6 = irq6;

    public void Attach(IoBus bus)
    {
        bus.Register(Base, 6, this);
        bus.Register(Base + 7, 1, this);
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        switch (port - Base)
        {
            case 2:
                return _dor;
            case 4:
                return _result.Count > 0 ? (byte)(MsrRqm | MsrDio | MsrBusy) : _command.Count > 0 ? (byte)(MsrRqm | MsrBusy) : MsrRqm;
            case 5:
            {
                byte v = _result.Count > 0 ? _result.Dequeue() : (byte)0;
                return v;
            }
            case 7:
                return 0x00; // DIR: no disk change line from an absent drive
            default:
                return 0xFF; // SRA/SRB: the PS/2-mode status registers are not modelled
        }
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        byte v = (byte)value;
        switch (port - Base)
        {
            case 2:
            {
                bool wasInReset = (_dor & 0x04) == 0;
                _dor = v;
                if (wasInReset && (v & 0x04) != 0)
                {
                    Reset();
                }
                else if ((v & 0x04) == 0)
                {
                    _command.Clear();
                    _result.Clear();
                    _irq6.Set(false);
                }
                break;
            }
            case 4: // DSR: bit 7 is a self-clearing software reset
                if ((v & 0x80) != 0)
                {
                    Reset();
                }
                break;
            case 5:
                CommandByte(v);
                break;
        }
    }

    /// <summary>After reset the controller reports a polling interrupt for each of the four drives.</summary>
    private void Reset()
    {
        _command.Clear();
        _result.Clear();
        _interrupts.Clear();
        for (byte d = 0; d < 4; d++)
        {
            _interrupts.Enqueue((unchecked((byte)(0xC0 | d)), 0));
        }
        RaiseIfEnabled();
    }

    private void RaiseIfEnabled() => _irq6.Set((_dor & 0x08) != 0);

    private static int ParameterCount(int op) => op switch
    {
        0x03 => 2,             // SPECIFY
        0x04 => 1,             // SENSE DRIVE STATUS
        0x07 => 1,             // RECALIBRATE
        0x0F => 2,             // SEEK
        0x12 => 1,             // PERPENDICULAR MODE
        0x13 => 3,             // CONFIGURE
        0x0A => 1,             // READ ID
        0x0D => 5,             // FORMAT TRACK
        0x05 or 0x06 or 0x09 or 0x0C or 0x02 or 0x11 or 0x19 or 0x1D => 8, // data transfers and scans
        _ => 0,
    };

    private void CommandByte(byte v)
    {
        if (_result.Count > 0)
        {
            return; // writes during the result phase are ignored
        }
        _command.Add(v);
        int op = _command[0] & 0x1F;
        if (_command.Count <= ParameterCount(op))
        {
            return;
        }
        Execute(_command[0], _command.Skip(1).ToArray());
        _command.Clear();
    }

    private void Execute(byte cmd, byte[] p)
    {
        int op = cmd & 0x1F;
        switch (op)
        {
            case 0x03: // SPECIFY: no result phase
            case 0x12: // PERPENDICULAR MODE
                break;
            case 0x13: // CONFIGURE
                _configure = p[1];
                break;
            case 0x08: // SENSE INTERRUPT STATUS
                if (_interrupts.Count == 0)
                {
                    _result.Enqueue(0x80); // invalid: nothing pending
                    break;
                }
                var (st0, pcn) = _interrupts.Dequeue();
                _result.Enqueue(st0);
                _result.Enqueue(pcn);
                if (_interrupts.Count == 0)
                {
                    _irq6.Set(false);
                }
                break;
            case 0x07: // RECALIBRATE: no track 0 signal from an absent drive
                _interrupts.Enqueue(((byte)(St0AbnormalTermination | St0SeekEnd | St0EquipmentCheck | (p[0] & 3)), 0));
                RaiseIfEnabled();
                break;
            case 0x0F: // SEEK: the controller steps without checking the drive
                _interrupts.Enqueue(((byte)(St0SeekEnd | (p[0] & 7)), p[1]));
                RaiseIfEnabled();
                break;
            case 0x04: // SENSE DRIVE STATUS: ST3 with no ready, track 0 or write-protect lines
                _result.Enqueue((byte)(p[0] & 7));
                break;
            case 0x10: // VERSION: an enhanced controller
                _result.Enqueue(0x90);
                break;
            case 0x14: // LOCK (bit 7 of the command) / UNLOCK
                _locked = (cmd & 0x80) != 0;
                _result.Enqueue((byte)(_locked ? 0x10 : 0x00));
                break;
            case 0x0E: // DUMPREG
                foreach (byte b in new byte[] { 0, 0, 0, 0, 0xAF, 0x02, 0x12, 0x1B, (byte)(_locked ? 0x80 : 0), _configure })
                {
                    _result.Enqueue(b);
                }
                break;
            case 0x0A: // READ ID
            case 0x05: case 0x06: case 0x09: case 0x0C: case 0x02: case 0x11: case 0x19: case 0x1D: case 0x0D:
            {
                // No drive: the command ends at once, abnormally, with "not ready".
                byte drive = (byte)(p[0] & 7);
                _result.Enqueue((byte)(St0AbnormalTermination | St0NotReady | drive));
                _result.Enqueue(0x00);
                _result.Enqueue(0x00);
                for (int i = 0; i < 4; i++)
                {
                    _result.Enqueue(p.Length > 1 + i ? p[1 + i] : (byte)0);
                }
                RaiseIfEnabled();
                break;
            }
            default:
                _result.Enqueue(0x80); // invalid command
                break;
        }
    }
}
