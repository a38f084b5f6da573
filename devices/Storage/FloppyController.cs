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
public sealed class FloppyController : IPortDevice, IDmaClient
{
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
            case 0x02: case 0x05: case 0x06: case 0x09: case 0x0C: case 0x16: case 0x0D:
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

    private enum Op { Read, Write, ReadDeleted, WriteDeleted, ReadTrack, Verify, Format }

    /// <summary>The state of a data command's execution phase.</summary>
    private sealed class Transfer
    {
        public Op Op;
        public byte Select;          // the command's HD/US byte
        public FloppyDrive Drive = null!;
        public int C, H, R;          // the ID being looked for next
        public int Eot;
        public bool MultiTrack, Skip;
        public bool Dma;
        public int Position;         // bytes of the current sector (or format ID) moved
        public int SectorsLeft;      // FORMAT: IDs still to come; VERIFY with EC: sectors
        public byte Filler;          // FORMAT's data byte
        public byte St2;             // accumulated ST2 bits (control mark)
        public bool ToHost => Op is Op.Read or Op.ReadDeleted or Op.ReadTrack;
    }

    private void StartTransfer(byte cmd, byte[] p)
    {
        int op = cmd & 0x1F;
        int unit = p[0] & 3, head = (p[0] >> 2) & 1;
        if (_drives[unit] is not { } d)
        {
            EndNotReady(p[0], p);
            return;
        }
        var x = new Transfer
        {
            Op = op switch { 0x05 => Op.Write, 0x06 => Op.Read, 0x09 => Op.WriteDeleted, 0x0C => Op.ReadDeleted, 0x02 => Op.ReadTrack, 0x16 => Op.Verify, _ => Op.Format },
            Select = (byte)(p[0] & 7), Drive = d, MultiTrack = (cmd & 0x80) != 0, Skip = (cmd & 0x20) != 0, Dma = DmaMode,
        };
        if (x.Op == Op.Format)
        {
            // FORMAT TRACK: N, SC, GPL, D; the IDs come through DMA or the FIFO, four bytes a sector.
            x.C = d.Cylinder;
            x.H = head;
            x.SectorsLeft = p[2];
            x.Filler = p[4];
            if (d.WriteProtected)
            {
                Finish(x.Select, St0AbnormalTermination, St1NotWritable, 0, (byte)d.Cylinder, (byte)head, 1, p[1]);
                return;
            }
            if (_dataRate != FloppyDrive.RateCode)
            {
                Finish(x.Select, St0AbnormalTermination, St1MissingAddressMark, 0, (byte)d.Cylinder, (byte)head, 1, p[1]);
                return;
            }
            Begin(x);
            return;
        }
        x.C = p[1];
        x.H = p[2];
        x.R = op == 0x02 ? 1 : p[3];
        x.Eot = p[5];
        _lastEot = p[5];
        if (x.Op == Op.Verify && (p[0] & 0x80) != 0)
        {
            x.SectorsLeft = p[7]; // EC: DTL holds the sector count
        }
        if (op == 0x02)
        {
            x.MultiTrack = false; // READ TRACK stays on its side
        }
        if ((_configure & ConfigImpliedSeek) != 0)
        {
            d.StepTo(x.C); // implied seek
        }
        if (_dataRate != FloppyDrive.RateCode || d.Cylinder >= FloppyDrive.Cylinders)
        {
            // Wrong data rate for the medium, or no track under the head: no address mark is found.
            Finish(x.Select, St0AbnormalTermination, St1MissingAddressMark, 0, (byte)x.C, (byte)x.H, (byte)x.R, p[4]);
            return;
        }
        if (p[4] != 2)
        {
            Finish(x.Select, St0AbnormalTermination, St1NoData, 0, (byte)x.C, (byte)x.H, (byte)x.R, p[4]);
            return;
        }
        if (x.Op is Op.Write or Op.WriteDeleted && d.WriteProtected)
        {
            Finish(x.Select, St0AbnormalTermination, St1NotWritable, 0, (byte)x.C, (byte)x.H, (byte)x.R, 2);
            return;
        }
        if (!LocateSector(x))
        {
            return;
        }
        if (x.Op == Op.ReadDeleted && x.Skip)
        {
            // SK: every sector has a normal data mark, so all are skipped and the track runs out.
            Finish(x.Select, St0AbnormalTermination, St1EndOfCylinder, St2ControlMark, (byte)(x.C + 1), (byte)x.H, 1, 2);
            return;
        }
        Begin(x);
    }

    /// <summary>Checks that the ID the command wants is on the track under the head; ends the command with "no data" if not.</summary>
    private bool LocateSector(Transfer x)
    {
        int physicalHead = (x.Select >> 2) & 1;
        if (x.C == x.Drive.Cylinder && x.H == physicalHead && FloppyDrive.Exists(x.C, x.H, x.R))
        {
            return true;
        }
        byte st2 = x.C == x.Drive.Cylinder ? (byte)0 : x.C == 0xFF ? St2BadCylinder : St2WrongCylinder;
        Finish(x.Select, St0AbnormalTermination, St1NoData, st2, (byte)x.C, (byte)x.H, (byte)x.R, 2);
        return false;
    }

    private void Begin(Transfer x)
    {
        _xfer = x;
        x.Position = 0;
        if (x.Op == Op.Verify)
        {
            while (_xfer == x)
            {
                SectorDone(x); // nothing moves to the host: each sector is read and checked
            }
            return;
        }
        if (x.ToHost)
        {
            LoadSector(x);
        }
        if (x.Dma)
        {
            if (Gate)
            {
                _dma!.Request(DmaChannelNumber, this);
            }
        }
        else
        {
            _dataIrq = true; // non-DMA: the interrupt asks for the first byte
            UpdateIrq();
        }
    }

    private void LoadSector(Transfer x)
    {
        x.Drive.Image.Read(FloppyDrive.Lba(x.Drive.Cylinder, x.H, x.R), _sector);
        if (x.Op == Op.ReadDeleted)
        {
            x.St2 |= St2ControlMark; // an image's sectors all carry normal data marks
        }
    }

    /// <inheritdoc/>
    public void DmaReady(int channel)
    {
        while (_xfer is { Dma: true } x && Gate && _dma!.CanRun(channel))
        {
            int want = x.Op == Op.Format ? 4 : DiskImage.SectorSize;
            int n = _dma.Transfer(channel, _sector.AsSpan(x.Position, want - x.Position), x.ToHost, out bool tc);
            x.Position += n;
            if (tc)
            {
                if (!x.ToHost && x.Op != Op.Format && x.Position < want)
                {
                    _sector.AsSpan(x.Position).Clear(); // terminal count inside a sector: the rest is written as zeros
                    x.Position = want;
                }
                if (x.Position == want || x.ToHost)
                {
                    SectorDone(x, terminalCount: true);
                }
                return;
            }
            if (x.Position == want)
            {
                SectorDone(x);
            }
            else if (n == 0)
            {
                return;
            }
        }
    }

    /// <summary>A sector (or a FORMAT ID) has been moved: write it if writing, then go on to the next or end the command.</summary>
    private void SectorDone(Transfer x, bool terminalCount = false)
    {
        FloppyDrive d = x.Drive;
        if (x.Op == Op.Format)
        {
            FormatSector(x);
            if (--x.SectorsLeft <= 0 || terminalCount)
            {
                Finish(x.Select, 0, 0, 0, _sector[0], _sector[1], _sector[2], _sector[3]);
            }
            x.Position = 0;
            return;
        }
        if (x.Op is Op.Write or Op.WriteDeleted)
        {
            d.Image.Write(FloppyDrive.Lba(d.Cylinder, x.H, x.R), _sector);
        }
        d.NextSector = x.R % FloppyDrive.SectorsPerTrack + 1;
        bool endOfTrack = x.R >= x.Eot;
        bool countDone = x.Op == Op.Verify && x.SectorsLeft > 0 && --x.SectorsLeft == 0;
        // The next ID: past EOT, multi-track goes on to side 1, otherwise to the next cylinder.
        bool wrapToSide1 = endOfTrack && x.MultiTrack && x.H == 0;
        int nextC = endOfTrack && !wrapToSide1 ? x.C + 1 : x.C;
        int nextH = endOfTrack && x.MultiTrack ? x.H ^ 1 : x.H;
        int nextR = endOfTrack ? 1 : x.R + 1;
        // READ DELETED DATA without SK finds a normal data mark: that sector is read, CM set, and the command ends.
        bool markEnds = x.Op == Op.ReadDeleted;
        if (terminalCount || countDone || markEnds || (x.Op == Op.Verify && endOfTrack && !wrapToSide1))
        {
            Finish(x.Select, 0, 0, x.St2, (byte)nextC, (byte)nextH, (byte)nextR, 2, nextH);
            return;
        }
        if (endOfTrack && !wrapToSide1)
        {
            // The track ended before the DMA's terminal count (always so without DMA): end of cylinder.
            Finish(x.Select, St0AbnormalTermination, St1EndOfCylinder, x.St2, (byte)nextC, (byte)nextH, (byte)nextR, 2, nextH);
            return;
        }
        x.C = nextC;
        x.H = nextH;
        x.R = nextR;
        if (wrapToSide1)
        {
            x.Select |= 0x04; // the head select follows the side
        }
        x.Position = 0;
        if (!FloppyDrive.Exists(d.Cylinder, x.H, x.R))
        {
            // EOT beyond the track's last sector: the next ID is never found.
            Finish(x.Select, St0AbnormalTermination, St1NoData, x.St2, (byte)x.C, (byte)x.H, (byte)x.R, 2);
            return;
        }
        if (x.ToHost)
        {
            LoadSector(x);
        }
    }

    /// <summary>FORMAT TRACK: fills the sector an ID names (on this track, 512 bytes) with the data byte; IDs the image cannot hold are ignored.</summary>
    private void FormatSector(Transfer x)
    {
        int c = _sector[0], h = _sector[1], r = _sector[2], n = _sector[3];
        if (c == x.Drive.Cylinder && h == x.H && n == 2 && FloppyDrive.Exists(c, h, r))
        {
            Span<byte> fill = stackalloc byte[DiskImage.SectorSize];
            fill.Fill(x.Filler);
            x.Drive.Image.Write(FloppyDrive.Lba(c, h, r), fill);
        }
    }

    /// <summary>Ends a data command on an absent drive: "not ready" with the command's ID bytes.</summary>
    private void EndNotReady(byte select, byte[] p) =>
        Finish(select, St0AbnormalTermination | St0NotReady, 0, 0, p.Length > 1 ? p[1] : (byte)0, p.Length > 2 ? p[2] : (byte)0, p.Length > 3 ? p[3] : (byte)0, p.Length > 4 ? p[4] : (byte)0);

    /// <summary>The result phase of a data command: ST0-ST2 and an ID, with the interrupt.</summary>
    private void Finish(byte select, byte st0Bits, byte st1, byte st2, byte c, byte h, byte r, byte n, int? head = null)
    {
        if (_xfer is { Dma: true })
        {
            _dma!.Request(DmaChannelNumber, null);
        }
        _xfer = null;
        _dataIrq = false;
        int hd = head ?? (select >> 2) & 1;
        _result.Clear();
        _result.Enqueue((byte)(st0Bits | (hd << 2) | (select & 3)));
        _result.Enqueue(st1);
        _result.Enqueue(st2);
        _result.Enqueue(c);
        _result.Enqueue(h);
        _result.Enqueue(r);
        _result.Enqueue(n);
        _resultIrq = true;
        UpdateIrq();
    }
}
