using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Storage;

/// <summary>
/// The PIIX IDE bus-master DMA registers of one channel (command, status, PRD table pointer;
/// Intel 82371 datasheet, section 2.7): when the drive has a DMA command and the start bit is
/// set, sectors move between the disk and the physical regions the PRD table describes.
/// </summary>
public sealed partial class BusMasterDma
{
    private const byte CmdStart = 0x01, CmdToMemory = 0x08;
    private const byte StActive = 0x01, StError = 0x02, StInterrupt = 0x04;

    private readonly PhysicalMemory _memory;
    private readonly IdeChannel _channel;
    private byte _command;
    private byte _status;
    private uint _prdTable;

    /// <summary>Creates the engine for <paramref name="channel"/>.</summary>
    public BusMasterDma(PhysicalMemory memory, IdeChannel channel)
    {
        _memory = memory;
        _channel = channel;
        channel.BusMaster = this;
    }

    /// <summary>Reads register <paramref name="offset"/> (0-7) of this channel's block.</summary>
    public uint Read(int offset, int size)
    {
        uint v = offset switch
        {
            0 => _command,
            2 => _status,
            4 => _prdTable,
            5 => _prdTable >> 8,
            6 => _prdTable >> 16,
            7 => _prdTable >> 24,
            _ => 0,
        };
        if (size == 4 && offset == 4)
        {
            return _prdTable;
        }
        if (size == 2 && offset is 0 or 2 or 4 or 6)
        {
            return (v & 0xFF) | (Read(offset + 1, 1) << 8);
        }
        return v & 0xFF;
    }

    /// <summary>Writes register <paramref name="offset"/>.</summary>
    public void Write(int offset, int size, uint value)
    {
        switch (offset)
        {
            case 0:
                _command = (byte)(value & (CmdStart | CmdToMemory));
                if ((_command & CmdStart) != 0)
                {
                    _status |= StActive;
                    TryRun();
                }
                else
                {
                    _status &= unchecked((byte)~StActive);
                }
                break;
            case 2:
                // Bits 1 and 2 clear when written with 1; bits 5 and 6 (drive DMA capable) are plain storage.
                _status = (byte)((_status & ~(byte)(value & (StError | StInterrupt)) & 0x07) | (byte)(value & 0x60));
                break;
            case 4:
                if (size == 4)
                {
                    _prdTable = value & 0xFFFF_FFFC;
                }
                else
                {
                    SetPrdByte(0, value, size);
                }
                break;
            case 5:
            case 6:
            case 7:
                SetPrdByte(offset - 4, value, size);
                break;
        }
    }

    private void SetPrdByte(int index, uint value, int size)
    {
        for (int i = 0; i < size && index + i < 4; i++)
        {
            int shift = 8 * (index + i);
            _prdTable = (_prdTable & ~(0xFFu << shift)) | (((value >> (8 * i)) & 0xFF) << shift);
        }
        _prdTable &= 0xFFFF_FFFC;
    }

    /// <summary>Whether the PCI function may master the bus (its command register's BME bit); without it no transfer happens.</summary>
    public Func<bool> BusMasterEnabled { get; set; } = static () => true;

    /// <summary>Runs the transfer if the drive's DMA command, the start bit and bus mastering are all there.</summary>
    internal void TryRun()
    {
        if ((_command & CmdStart) == 0 || !BusMasterEnabled() || !_channel.DmaPending(out bool toMemory))
        {
            return;
        }
        if (toMemory != ((_command & CmdToMemory) != 0))
        {
            return; // direction mismatch: the drive waits (a driver error)
        }
        uint prd = _prdTable;
        uint regionAddr = 0, regionLeft = 0;
        bool last = false;
        bool ok = _channel.RunDma((sector, length) =>
        {
            int done = 0;
            while (done < length)
            {
                if (regionLeft == 0)
                {
                    if (last)
                    {
                        return false; // the PRD table ended before the data
                    }
                    regionAddr = _memory.Read32(prd) & 0xFFFF_FFFE;
                    uint countWord = _memory.Read32(prd + 4);
                    regionLeft = (countWord & 0xFFFE) == 0 ? 0x10000u : countWord & 0xFFFE;
                    last = (countWord & 0x8000_0000) != 0;
                    prd += 8;
                }
                int n = (int)Math.Min(regionLeft, (uint)(length - done));
                if (toMemory)
                {
                    _memory.WriteBytes(regionAddr, sector.AsSpan(done, n));
                }
                else
                {
                    _memory.ReadBytes(regionAddr, sector.AsSpan(done, n));
                }
                regionAddr += (uint)n;
                regionLeft -= (uint)n;
                done += n;
            }
            return true;
        });
        _status |= StInterrupt;
        if (!ok)
        {
            _status |= StError;
        }
        if (!ok || (last && regionLeft == 0))
        {
            _status &= unchecked((byte)~StActive); // the PRD table was used up exactly
        }
    }
}
