using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Storage;

/// <summary>
/// One IDE channel (command block at 0x1F0/0x170, control block at 0x3F6/0x376) with a master
/// and a slave drive: the task file with the LBA48 "previous" bytes, PIO data transfers in
/// single-sector and multiple blocks, DMA through <see cref="BusMasterDma"/>, INTRQ with nIEN,
/// soft reset, and ABRT for what is not supported. Each device keeps its own interrupt pending
/// state and drives INTRQ only while selected with nIEN clear (ATA/ATAPI-6: the line is
/// released otherwise), so the channel's IRQ follows the device register. Commands complete instantly (BSY is never
/// seen), which a driver cannot tell from a fast disk.
/// </summary>
public sealed partial class IdeChannel : IPortDevice
{
    private const byte StBsy = 0x80, StDrdy = 0x40, StDsc = 0x10, StDrq = 0x08, StErr = 0x01;
    private const byte ErrAbrt = 0x04, ErrIdnf = 0x10;

    private readonly ushort _cmdBase, _ctrlPort;
    private readonly IInterruptLine _irq;
    private readonly AtaDrive?[] _drives = new AtaDrive?[2];
    private readonly byte[] _status = new byte[2];
    private readonly byte[] _buffer = new byte[DiskImage.SectorSize * 256];

    // Task file: current and previous ("HOB") values.
    private byte _feature, _error, _nsect, _sector, _lcyl, _hcyl, _select;
    private byte _hobNsect, _hobSector, _hobLcyl, _hobHcyl;
    private byte _control;
    private readonly bool[] _pending = new bool[2]; // each device's interrupt pending state
    private int _cmdUnit;                           // the device the last command went to: its blocks and completion are its own

    // The command in progress.
    private enum Transfer { None, PioIn, PioOut, DmaIn, DmaOut }
    private Transfer _transfer;
    private int _dataPos, _dataEnd;   // bytes of _buffer the host is reading or writing
    private long _lba;                // next sector of the command
    private long _remaining;          // sectors still to transfer
    private int _blockSectors;        // sectors per PIO block
    private AtaDrive? _transferDrive; // the drive the command was issued to: a later write of the device
                                      // register (which the ATA spec forbids while BSY or DRQ is set) must not
                                      // move the transfer to the other drive, or to none

    /// <summary>Creates a channel at the given ports with its IRQ line.</summary>
    public IdeChannel(ushort commandBase, ushort controlPort, IInterruptLine irq)
    {
        _cmdBase = commandBase;
        _ctrlPort = controlPort;
        _irq = irq;
    }

    /// <summary>The bus-master DMA engine for this channel, set when the PCI IDE function exists.</summary>
    public BusMasterDma? BusMaster { get; set; }

    /// <summary>Attaches a drive as master (0) or slave (1).</summary>
    public void AttachDrive(int unit, AtaDrive drive)
    {
        _drives[unit] = drive;
        _status[unit] = StDrdy | StDsc;
    }

    /// <summary>The drive at <paramref name="unit"/>, or null.</summary>
    public AtaDrive? Drive(int unit) => _drives[unit];

    /// <summary>Registers the channel's ports.</summary>
    public void Attach(IoBus bus)
    {
        bus.Register(_cmdBase, 8, this);
        bus.Register(_ctrlPort, 1, this);
    }

    private int Unit => (_select >> 4) & 1;

    private AtaDrive? Selected => _drives[Unit];

    private bool Lba48Command(byte cmd) => cmd is 0x24 or 0x25 or 0x29 or 0x34 or 0x35 or 0x39 or 0xEA;

    // ---- ports -------------------------------------------------------------------------

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        if (port == _ctrlPort)
        {
            return Selected is null ? 0u : _status[Unit]; // alternate status: no side effects
        }
        int reg = port - _cmdBase;
        if (reg == 0)
        {
            return ReadData(size);
        }
        bool hob = (_control & 0x80) != 0;
        switch (reg)
        {
            case 1: return _error;
            case 2: return hob ? _hobNsect : _nsect;
            case 3: return hob ? _hobSector : _sector;
            case 4: return hob ? _hobLcyl : _lcyl;
            case 5: return hob ? _hobHcyl : _hcyl;
            case 6: return (uint)(_select | 0xA0);
            default:
                if (Selected is null)
                {
                    return 0; // device 0 answers for an absent device 1 with all bits clear; its own interrupt stays pending
                }
                SetPending(Unit, false); // reading Status acknowledges the selected device's interrupt
                return _status[Unit];
        }
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        if (port == _ctrlPort)
        {
            WriteControl((byte)value);
            return;
        }
        int reg = port - _cmdBase;
        byte v = (byte)value;
        _control &= 0x7F; // a write to the task file clears HOB
        switch (reg)
        {
            case 0: WriteData(size, value); break;
            case 1: _feature = v; break;
            case 2: _hobNsect = _nsect; _nsect = v; break;
            case 3: _hobSector = _sector; _sector = v; break;
            case 4: _hobLcyl = _lcyl; _lcyl = v; break;
            case 5: _hobHcyl = _hcyl; _hcyl = v; break;
            case 6:
                _select = (byte)(v & 0x5F);
                UpdateIrq();
                break;
            default:
                Command(v);
                break;
        }
    }

    private void WriteControl(byte v)
    {
        bool resetBefore = (_control & 0x04) != 0;
        _control = v;
        if ((v & 0x04) != 0 && !resetBefore)
        {
            for (int u = 0; u < 2; u++)
            {
                if (_drives[u] is not null)
                {
                    _status[u] = StBsy;
                }
            }
            _transfer = Transfer.None;
            _pending[0] = _pending[1] = false;
        }
        else if ((v & 0x04) == 0 && resetBefore)
        {
            // End of soft reset: device signature, diagnostic passed, device 0 selected.
            _nsect = 1;
            _sector = 1;
            _lcyl = 0;
            _hcyl = 0;
            _select = 0;
            _error = 0x01;
            for (int u = 0; u < 2; u++)
            {
                if (_drives[u] is { } d)
                {
                    _status[u] = StDrdy | StDsc;
                    d.MultipleCount = 0;
                    d.Heads = d.DefaultHeads;
                    d.SectorsPerTrack = d.DefaultSectorsPerTrack;
                }
            }
        }
        UpdateIrq();
    }

    private void SetPending(int unit, bool on)
    {
        _pending[unit] = on;
        UpdateIrq();
    }

    /// <summary>INTRQ: driven by the selected device when it has an interrupt pending and nIEN is clear; released (low) otherwise.</summary>
    private void UpdateIrq() => _irq.Set(Selected is not null && _pending[Unit] && (_control & 0x02) == 0);

    /// <summary>Completion of a command or data block: the command's device has an interrupt pending.</summary>
    private void Interrupt() => SetPending(_cmdUnit, true);

    // ---- data port ---------------------------------------------------------------------

    private uint ReadData(int size)
    {
        if (_transfer != Transfer.PioIn || _dataPos >= _dataEnd)
        {
            return size == 1 ? 0xFFu : size == 2 ? 0xFFFFu : 0xFFFF_FFFFu;
        }
        uint v = 0;
        for (int i = 0; i < size && _dataPos < _dataEnd; i++)
        {
            v |= (uint)_buffer[_dataPos++] << (8 * i);
        }
        if (_dataPos >= _dataEnd)
        {
            PioInBlockDone();
        }
        return v;
    }

    private void WriteData(int size, uint value)
    {
        if (_transfer != Transfer.PioOut || _dataPos >= _dataEnd)
        {
            return;
        }
        for (int i = 0; i < size && _dataPos < _dataEnd; i++)
        {
            _buffer[_dataPos++] = (byte)(value >> (8 * i));
        }
        if (_dataPos >= _dataEnd)
        {
            PioOutBlockDone();
        }
    }

    // ---- commands ----------------------------------------------------------------------

    private void Command(byte cmd)
    {
        AtaDrive? d = Selected;
        if (d is null)
        {
            return; // no device: the command goes nowhere
        }
        int u = _cmdUnit = Unit;
        SetPending(u, false); // writing the Command register acknowledges the device's interrupt
        _error = 0;
        _transfer = Transfer.None;
        switch (cmd)
        {
            case 0xEC: // IDENTIFY DEVICE
            {
                ushort[] id = d.Identify();
                for (int i = 0; i < 256; i++)
                {
                    _buffer[2 * i] = (byte)id[i];
                    _buffer[2 * i + 1] = (byte)(id[i] >> 8);
                }
                StartPioIn(512, remaining: 0, blockSectors: 1);
                break;
            }
            case 0x20:
            case 0x21:
            case 0x24: // READ SECTORS (EXT)
                StartRead(d, cmd, multiple: false);
                break;
            case 0xC4:
            case 0x29: // READ MULTIPLE (EXT)
                if (d.MultipleCount == 0) { Abort(); break; }
                StartRead(d, cmd, multiple: true);
                break;
            case 0x30:
            case 0x31:
            case 0x34: // WRITE SECTORS (EXT)
                StartWrite(d, cmd, multiple: false);
                break;
            case 0xC5:
            case 0x39: // WRITE MULTIPLE (EXT)
                if (d.MultipleCount == 0) { Abort(); break; }
                StartWrite(d, cmd, multiple: true);
                break;
            case 0xC8:
            case 0x25: // READ DMA (EXT)
            case 0xCA:
            case 0x35: // WRITE DMA (EXT)
                StartDma(d, cmd);
                break;
            case 0xC6: // SET MULTIPLE MODE
                if (_nsect > AtaDrive.MaxMultiple || (_nsect & (_nsect - 1)) != 0) { Abort(); break; }
                d.MultipleCount = _nsect;
                Complete();
                break;
            case 0xEF: // SET FEATURES
                if (!SetFeatures(d)) { Abort(); break; }
                Complete();
                break;
            case 0x91: // INITIALIZE DEVICE PARAMETERS
                if (_nsect == 0) { Abort(); break; }
                d.Heads = (_select & 0x0F) + 1;
                d.SectorsPerTrack = _nsect;
                Complete();
                break;
            case 0xE7:
            case 0xEA: // FLUSH CACHE (EXT)
                d.Image.Flush();
                Complete();
                break;
            case 0x40:
            case 0x41:
            case 0x42: // READ VERIFY SECTORS (EXT): check the range only
            {
                if (!TaskFileRange(d, cmd == 0x42, out _, out _)) break;
                Complete();
                break;
            }
            case 0xE5: // CHECK POWER MODE: always active
                _nsect = 0xFF;
                Complete();
                break;
            case 0x10: // RECALIBRATE
            case 0x70: // SEEK
            case 0xE0:
            case 0xE1:
            case 0xE2:
            case 0xE3: // STANDBY/IDLE (IMMEDIATE)
                Complete();
                break;
            default: // everything else (NOP, ATAPI, security, SMART): not supported
                Abort();
                break;
        }
        _status[u] |= StDsc;
    }

    private bool SetFeatures(AtaDrive d)
    {
        switch (_feature)
        {
            case 0x03: // set transfer mode from the sector count
            {
                byte mode = _nsect;
                bool ok = (mode >> 3) switch
                {
                    0 or 1 => (mode & 7) <= 4,  // PIO default / flow control modes
                    4 => (mode & 7) <= 2,       // multiword DMA 0-2
                    8 => (mode & 7) <= 5,       // Ultra DMA 0-5
                    _ => false,
                };
                if (ok)
                {
                    d.TransferMode = mode;
                }
                return ok;
            }
            case 0x02:
            case 0x82: // write cache on/off
            case 0xAA:
            case 0x55: // read look-ahead on/off
            case 0x66:
            case 0xCC: // reverting to power-on defaults off/on
                return true;
            default:
                return false;
        }
    }

    /// <summary>Decodes the starting sector and count of a command from the task file; IDNF if outside the disk.</summary>
    private bool TaskFileRange(AtaDrive d, bool lba48, out long lba, out long count)
    {
        if (lba48)
        {
            lba = ((long)_hobHcyl << 40) | ((long)_hobLcyl << 32) | ((long)_hobSector << 24) | ((long)_hcyl << 16) | ((long)_lcyl << 8) | _sector;
            count = (_hobNsect << 8) | _nsect;
            if (count == 0) count = 65536;
        }
        else
        {
            count = _nsect == 0 ? 256 : _nsect;
            if ((_select & 0x40) != 0)
            {
                lba = ((long)(_select & 0x0F) << 24) | ((long)_hcyl << 16) | ((long)_lcyl << 8) | _sector;
            }
            else
            {
                int cyl = (_hcyl << 8) | _lcyl;
                int head = _select & 0x0F;
                if (_sector == 0 || _sector > d.SectorsPerTrack || head >= d.Heads)
                {
                    lba = -1;
                }
                else
                {
                    lba = ((long)cyl * d.Heads + head) * d.SectorsPerTrack + (_sector - 1);
                }
            }
        }
        if (lba < 0 || lba + count > d.Image.Sectors)
        {
            Error(ErrIdnf);
            return false;
        }
        return true;
    }

    private void StartRead(AtaDrive d, byte cmd, bool multiple)
    {
        if (!TaskFileRange(d, Lba48Command(cmd), out long lba, out long count))
        {
            return;
        }
        _lba = lba;
        _remaining = count;
        _blockSectors = multiple ? d.MultipleCount : 1;
        _transferDrive = d;
        NextReadBlock();
    }

    private void NextReadBlock()
    {
        AtaDrive d = _transferDrive!;
        int n = (int)Math.Min(_blockSectors, _remaining);
        for (int i = 0; i < n; i++)
        {
            d.Image.Read(_lba + i, _buffer.AsSpan(i * DiskImage.SectorSize, DiskImage.SectorSize));
        }
        SetTaskFileAddress(_lba + n - 1);
        _lba += n;
        _remaining -= n;
        StartPioIn(n * DiskImage.SectorSize, _remaining, _blockSectors);
    }

    private void StartPioIn(int bytes, long remaining, int blockSectors)
    {
        _transfer = Transfer.PioIn;
        _dataPos = 0;
        _dataEnd = bytes;
        _remaining = remaining;
        _blockSectors = blockSectors;
        _status[_cmdUnit] = StDrdy | StDsc | StDrq;
        Interrupt(); // each block of a PIO read is announced by an interrupt
    }

    private void PioInBlockDone()
    {
        if (_remaining > 0)
        {
            NextReadBlock();
            return;
        }
        _transfer = Transfer.None;
        _status[_cmdUnit] = StDrdy | StDsc;
    }

    private void StartWrite(AtaDrive d, byte cmd, bool multiple)
    {
        if (!TaskFileRange(d, Lba48Command(cmd), out long lba, out long count))
        {
            return;
        }
        _lba = lba;
        _remaining = count;
        _blockSectors = multiple ? d.MultipleCount : 1;
        _transferDrive = d;
        _transfer = Transfer.PioOut;
        _dataPos = 0;
        _dataEnd = (int)Math.Min(_blockSectors, _remaining) * DiskImage.SectorSize;
        _status[_cmdUnit] = StDrdy | StDsc | StDrq; // the first block is requested without an interrupt
    }

    private void PioOutBlockDone()
    {
        AtaDrive d = _transferDrive!;
        int n = _dataEnd / DiskImage.SectorSize;
        for (int i = 0; i < n; i++)
        {
            d.Image.Write(_lba + i, _buffer.AsSpan(i * DiskImage.SectorSize, DiskImage.SectorSize));
        }
        SetTaskFileAddress(_lba + n - 1);
        _lba += n;
        _remaining -= n;
        if (_remaining > 0)
        {
            _dataPos = 0;
            _dataEnd = (int)Math.Min(_blockSectors, _remaining) * DiskImage.SectorSize;
            _status[_cmdUnit] = StDrdy | StDsc | StDrq;
        }
        else
        {
            _transfer = Transfer.None;
            _status[_cmdUnit] = StDrdy | StDsc;
        }
        Interrupt();
    }

    private void StartDma(AtaDrive d, byte cmd)
    {
        if (BusMaster is null)
        {
            Abort();
            return;
        }
        if (!TaskFileRange(d, Lba48Command(cmd), out long lba, out long count))
        {
            return;
        }
        _lba = lba;
        _remaining = count;
        _transferDrive = d;
        _transfer = cmd is 0xC8 or 0x25 ? Transfer.DmaIn : Transfer.DmaOut;
        _status[_cmdUnit] = StDrdy | StDsc | StDrq;
        BusMaster.TryRun();
    }

    /// <summary>Whether a DMA command waits for the bus master; <paramref name="toMemory"/> is its direction.</summary>
    internal bool DmaPending(out bool toMemory)
    {
        toMemory = _transfer == Transfer.DmaIn;
        return _transfer is Transfer.DmaIn or Transfer.DmaOut;
    }

    /// <summary>Moves the DMA command's sectors through <paramref name="move"/>: (sector buffer, lba, toMemory) per sector; returns false if the PRD table ran out.</summary>
    internal bool RunDma(Func<byte[], int, bool> move)
    {
        AtaDrive d = _transferDrive!;
        bool toMemory = _transfer == Transfer.DmaIn;
        var sector = new byte[DiskImage.SectorSize];
        bool ok = true;
        while (_remaining > 0)
        {
            if (toMemory)
            {
                d.Image.Read(_lba, sector);
            }
            if (!move(sector, DiskImage.SectorSize))
            {
                ok = false;
                break;
            }
            if (!toMemory)
            {
                d.Image.Write(_lba, sector);
            }
            SetTaskFileAddress(_lba);
            _lba++;
            _remaining--;
        }
        _transfer = Transfer.None;
        if (ok)
        {
            _status[_cmdUnit] = StDrdy | StDsc;
        }
        else
        {
            Error(ErrAbrt);
            return false;
        }
        Interrupt();
        return true;
    }

    private void SetTaskFileAddress(long lba)
    {
        _sector = (byte)lba;
        _lcyl = (byte)(lba >> 8);
        _hcyl = (byte)(lba >> 16);
        _hobSector = (byte)(lba >> 24);
        _hobLcyl = (byte)(lba >> 32);
        _hobHcyl = (byte)(lba >> 40);
        if ((_select & 0x40) != 0)
        {
            _select = (byte)((_select & 0xF0) | (int)((lba >> 24) & 0x0F));
        }
    }

    private void Complete()
    {
        _status[_cmdUnit] = StDrdy | StDsc;
        Interrupt();
    }

    private void Abort() => Error(ErrAbrt);

    private void Error(byte error)
    {
        _error = error;
        _transfer = Transfer.None;
        _status[_cmdUnit] = StDrdy | StDsc | StErr;
        Interrupt();
    }
}
