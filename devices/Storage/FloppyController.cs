using Minix318Emu.Devices.Dma;
using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Storage;

/// <summary>
/// An 82077AA-compatible floppy disk controller (datasheet 290166) in PC-AT mode at ports
/// 0x3F0-0x3F5 and 0x3F7 (0x3F6 is IDE's), IRQ 6, DMA channel 2, with up to four drives of
/// which any may be absent. DOR (reset, drive select, DMA gate), MSR/DSR, CCR/DIR (data rate,
/// disk change); commands SPECIFY, SENSE INTERRUPT STATUS, RECALIBRATE, SEEK, SENSE DRIVE
/// STATUS, VERSION, CONFIGURE (implied seek), PERPENDICULAR MODE, LOCK, DUMPREG, READ ID,
/// READ DATA, WRITE DATA, READ/WRITE DELETED DATA, READ TRACK, VERIFY and FORMAT TRACK, by DMA
/// or, with SPECIFY's ND bit, through the FIFO. Absent drives answer data commands with "not
/// ready" and no track-0 signal. Mechanical timing is not modelled: seeks and transfers end
/// at once. Left out: the SCAN commands (answered as invalid), deleted-data marks on the
/// medium (an image has none), sector sizes other than 512 bytes.
/// </summary>
public sealed partial class FloppyController : IPortDevice, IDmaClient
{
    /// <summary>The primary controller's base port: registers at 0x3F0-0x3F5 and 0x3F7 (0x3F6 belongs to IDE).</summary>
    public const ushort Base = 0x3F0;

    /// <summary>The ISA DMA channel the controller uses.</summary>
    public const int DmaChannelNumber = 2;

    private const byte MsrRqm = 0x80, MsrDio = 0x40, MsrNonDma = 0x20, MsrBusy = 0x10;
    private const byte St0AbnormalTermination = 0x40, St0InvalidCommand = 0x80, St0SeekEnd = 0x20, St0EquipmentCheck = 0x10, St0NotReady = 0x08;
    private const byte St1EndOfCylinder = 0x80, St1NoData = 0x04, St1NotWritable = 0x02, St1MissingAddressMark = 0x01;
    private const byte St2ControlMark = 0x40, St2WrongCylinder = 0x10, St2BadCylinder = 0x02;
    private const byte ConfigImpliedSeek = 0x40; // CONFIGURE: EIS (bit 6) enables implied seeks

    private readonly IInterruptLine _irq6;
    private readonly IsaDma? _dma;
    private readonly FloppyDrive?[] _drives = new FloppyDrive?[4];
    private readonly List<byte> _command = new();
    private readonly Queue<byte> _result = new();
    private readonly Queue<(byte St0, byte Pcn)> _interrupts = new(); // pending SENSE INTERRUPT STATUS answers
    private readonly byte[] _sector = new byte[DiskImage.SectorSize];
    private byte _dor = 0x0C;
    private byte _configure = 0x20;
    private byte _precompTrack;
    private byte _stepRates = 0xAF, _headLoad = 0x02; // SPECIFY's two bytes (ND is bit 0 of the second)
    private byte _lastEot = 18;
    private bool _locked;
    private int _dataRate = FloppyDrive.RateCode; // DSR/CCR bits 1-0
    private bool _resultIrq, _dataIrq;
    private Transfer? _xfer;                      // the execution phase of a data command

    /// <summary>Creates the controller on IRQ 6; with <paramref name="dma"/> its data commands can use DMA channel 2.</summary>
    public FloppyController(IInterruptLine irq6, IsaDma? dma = null)
    {
        _irq6 = irq6;
        _dma = dma;
    }

    /// <summary>Puts a drive (with its disk) at <paramref name="unit"/> (0-3).</summary>
    public void AttachDrive(int unit, FloppyDrive drive) => _drives[unit] = drive;

    /// <summary>The drive at <paramref name="unit"/>, or null.</summary>
    public FloppyDrive? Drive(int unit) => _drives[unit];

    /// <summary>Registers the controller's ports on <paramref name="bus"/>.</summary>
    public void Attach(IoBus bus)
    {
        bus.Register(Base, 6, this);
        bus.Register(Base + 7, 1, this);
    }

    private bool DmaMode => (_headLoad & 1) == 0 && _dma is not null;

    private bool Gate => (_dor & 0x08) != 0; // PC-AT mode: DOR bit 3 gates IRQ and DRQ

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        switch (port - Base)
        {
            case 2:
                return _dor;
            case 4:
                return MainStatus();
            case 5:
                return ReadData();
            case 7:
            {
                // DIR: bit 7 is the selected drive's disk-change line; bits 0-6 belong to the hard disk controller.
                FloppyDrive? d = _drives[_dor & 3];
                return d is { DiskChanged: true } ? 0x80u : 0x00u;
            }
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
                    Abort();
                    _interrupts.Clear();
                }
                UpdateIrq();
                if (_xfer is { Dma: true } && Gate)
                {
                    _dma!.Request(DmaChannelNumber, this);
                }
                break;
            }
            case 4: // DSR: bit 7 is a self-clearing software reset; bits 1-0 the data rate
                _dataRate = v & 3;
                if ((v & 0x80) != 0)
                {
                    Reset();
                }
                break;
            case 5:
                WriteData(v);
                break;
            case 7: // CCR: the data rate
                _dataRate = v & 3;
                break;
        }
    }

    private byte MainStatus()
    {
        if (_xfer is { } x)
        {
            return x.Dma ? MsrBusy : (byte)(MsrRqm | MsrNonDma | MsrBusy | (x.ToHost ? MsrDio : 0));
        }
        if (_result.Count > 0)
        {
            return MsrRqm | MsrDio | MsrBusy;
        }
        return _command.Count > 0 ? (byte)(MsrRqm | MsrBusy) : MsrRqm;
    }

    /// <summary>After reset the controller reports a polling interrupt for each of the four drives.</summary>
    private void Reset()
    {
        Abort();
        _interrupts.Clear();
        for (int d = 0; d < 4; d++)
        {
            _interrupts.Enqueue((unchecked((byte)(0xC0 | d)), (byte)(_drives[d]?.Cylinder ?? 0)));
        }
        UpdateIrq();
    }

    private void Abort()
    {
        if (_xfer is { Dma: true })
        {
            _dma!.Request(DmaChannelNumber, null);
        }
        _xfer = null;
        _command.Clear();
        _result.Clear();
        _resultIrq = _dataIrq = false;
    }

    private void UpdateIrq() => _irq6.Set(Gate && (_resultIrq || _dataIrq || _interrupts.Count > 0));

    private byte ReadData()
    {
        if (_xfer is { Dma: false, ToHost: true } x)
        {
            byte b = _sector[x.Position++];
            PulseDataIrq();
            if (x.Position == DiskImage.SectorSize)
            {
                SectorDone(x);
            }
            return b;
        }
        if (_result.Count == 0)
        {
            return 0;
        }
        if (_resultIrq)
        {
            _resultIrq = false; // reading the first result byte clears the interrupt
            UpdateIrq();
        }
        return _result.Dequeue();
    }

    private void WriteData(byte v)
    {
        if (_xfer is { Dma: false, ToHost: false } x)
        {
            _sector[x.Position++] = v;
            PulseDataIrq();
            if (x.Position == (x.Op == Op.Format ? 4 : DiskImage.SectorSize))
            {
                SectorDone(x);
            }
            return;
        }
        if (_result.Count > 0 || _xfer is not null)
        {
            return; // writes during the result or DMA execution phase are ignored
        }
        _command.Add(v);
        int op = _command[0] & 0x1F;
        if (_command.Count <= ParameterCount(op))
        {
            return;
        }
        byte[] p = _command.GetRange(1, _command.Count - 1).ToArray();
        byte cmd = _command[0];
        _command.Clear();
        Execute(cmd, p);
    }

    /// <summary>In non-DMA execution the interrupt signals each byte: it drops on the access and rises again while more are wanted.</summary>
    private void PulseDataIrq()
    {
        _dataIrq = false;
        UpdateIrq();
        _dataIrq = true;
        UpdateIrq();
    }

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
        0x02 or 0x05 or 0x06 or 0x09 or 0x0C or 0x16 => 8, // data transfers and VERIFY
        _ => 0,
    };

    private void Execute(byte cmd, byte[] p)
    {
        int op = cmd & 0x1F;
        switch (op)
        {
            case 0x03: // SPECIFY: no result phase
                _stepRates = p[0];
                _headLoad = p[1];
                break;
            case 0x12: // PERPENDICULAR MODE: only for 2.88 MB drives
                break;
            case 0x13: // CONFIGURE
                _configure = p[1];
                _precompTrack = p[2];
                break;
            case 0x08:
                SenseInterruptStatus();
                break;
            case 0x07:
                Recalibrate(p[0] & 3);
                break;
            case 0x0F:
                Seek(p[0], p[1]);
                break;
            case 0x04: // SENSE DRIVE STATUS: ST3
                _result.Enqueue(DriveStatus(p[0]));
                break;
            case 0x10: // VERSION: an enhanced controller
                _result.Enqueue(0x90);
                break;
            case 0x14: // LOCK (bit 7 of the command) / UNLOCK
                _locked = (cmd & 0x80) != 0;
                _result.Enqueue((byte)(_locked ? 0x10 : 0x00));
                break;
            case 0x0E: // DUMPREG
                for (int d = 0; d < 4; d++)
                {
                    _result.Enqueue((byte)(_drives[d]?.Cylinder ?? 0));
                }
                foreach (byte b in new[] { _stepRates, _headLoad, _lastEot, (byte)(_locked ? 0x80 : 0), _configure, _precompTrack })
                {
                    _result.Enqueue(b);
                }
                break;
            case 0x0A:
                ReadId(p[0]);
                break;
            case 0x02:
            case 0x05:
            case 0x06:
            case 0x09:
            case 0x0C:
            case 0x16:
            case 0x0D:
                StartTransfer(cmd, p);
                break;
            default:
                _result.Enqueue(St0InvalidCommand);
                break;
        }
    }

    private void SenseInterruptStatus()
    {
        if (_interrupts.Count == 0)
        {
            _result.Enqueue(St0InvalidCommand); // nothing pending
            return;
        }
        var (st0, pcn) = _interrupts.Dequeue();
        _result.Enqueue(st0);
        _result.Enqueue(pcn);
        UpdateIrq();
    }

    private void Recalibrate(int unit)
    {
        if (_drives[unit] is { } d)
        {
            d.StepTo(0);
            _interrupts.Enqueue(((byte)(St0SeekEnd | unit), 0));
        }
        else
        {
            // No track-0 signal from an absent drive: the controller gives up after its step pulses.
            _interrupts.Enqueue(((byte)(St0AbnormalTermination | St0SeekEnd | St0EquipmentCheck | unit), 0));
        }
        UpdateIrq();
    }

    private void Seek(byte select, byte cylinder)
    {
        _drives[select & 3]?.StepTo(cylinder);
        _interrupts.Enqueue(((byte)(St0SeekEnd | (select & 7)), cylinder)); // the controller steps without checking the drive
        UpdateIrq();
    }

    private byte DriveStatus(byte select)
    {
        if (_drives[select & 3] is not { } d)
        {
            return (byte)(select & 7); // no ready, track 0 or write-protect lines
        }
        // ST3: write protected, ready (tied high on PC drives), track 0, two-sided.
        return (byte)((d.WriteProtected ? 0x40 : 0) | 0x20 | (d.Cylinder == 0 ? 0x10 : 0) | 0x08 | (select & 7));
    }

    private void ReadId(byte select)
    {
        int unit = select & 3, head = (select >> 2) & 1;
        if (_drives[unit] is not { } d)
        {
            EndNotReady(select, new byte[] { select, 0, 0, 0, 0 });
            return;
        }
        if (_dataRate != FloppyDrive.RateCode || d.Cylinder >= FloppyDrive.Cylinders)
        {
            Finish(select, St0AbnormalTermination, St1MissingAddressMark, 0, (byte)d.Cylinder, (byte)head, 0, 2);
            return;
        }
        int r = d.NextSector;
        d.NextSector = r % FloppyDrive.SectorsPerTrack + 1;
        Finish(select, 0, 0, 0, (byte)d.Cylinder, (byte)head, (byte)r, 2);
    }
}
