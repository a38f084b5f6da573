using Minix318Emu.Devices.Dma;

namespace Minix318Emu.Devices.Storage;

/// <summary>
/// The floppy controller's data commands: finding the sector the command names on the track
/// under the head, moving sectors by DMA or through the FIFO, stepping to the next sector,
/// side and cylinder as multi-track and EOT say, and the result phase with its status bytes.
/// </summary>
public sealed partial class FloppyController
{
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
            Select = (byte)(p[0] & 7),
            Drive = d,
            MultiTrack = (cmd & 0x80) != 0,
            Skip = (cmd & 0x20) != 0,
            Dma = DmaMode,
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
