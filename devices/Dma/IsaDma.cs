using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Dma;

/// <summary>
/// The PC's ISA DMA: two 8237s, the first (channels 0-3, byte transfers, ports 0x00-0x0F)
/// cascaded into channel 4 of the second (channels 4-7, word transfers, ports 0xC0-0xDF at
/// even addresses), and the page registers at 0x81-0x8F. A device raises DREQ with
/// <see cref="Request"/>; when the channel can run, the device is called back and moves its
/// data with <see cref="Transfer"/>, which walks the address (within its 64 KiB or 128 KiB
/// page, as the hardware does), counts down, and at terminal count sets the status bit and
/// either reloads (auto-initialise) or masks the channel.
/// </summary>
public sealed partial class IsaDma : IPortDevice
{
    // Page register port for each channel (0x80 is the POST port; the other page ports are scratch).
    private static readonly ushort[] s_pagePorts = { 0x87, 0x83, 0x81, 0x82, 0x8F, 0x8B, 0x89, 0x8A };

    private readonly PhysicalMemory _memory;
    private readonly Dma8237 _first = new(0), _second = new(4);
    private readonly byte[] _scratchPages = new byte[16];

    /// <summary>Creates the controllers over <paramref name="memory"/>, left as a BIOS leaves them: channel 4 in cascade mode and unmasked, the others masked.</summary>
    public IsaDma(PhysicalMemory memory)
    {
        _memory = memory;
        _second.Channels[0].Mode = 0xC0;
        _second.Channels[0].Masked = false;
        _first.Unmasked = ServeWaiting;
        _second.Unmasked = ServeWaiting;
    }

    /// <summary>Channel <paramref name="n"/> (0-7).</summary>
    public DmaChannel Channel(int n) => Controller(n).Channels[n & 3];

    private Dma8237 Controller(int n) => n < 4 ? _first : _second;

    /// <summary>Registers ports 0x00-0x0F, 0x81-0x8F and 0xC0-0xDF.</summary>
    public void Attach(IoBus bus)
    {
        bus.Register(0x00, 16, this);
        bus.Register(0x81, 15, this);
        bus.Register(0xC0, 32, this);
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        if (port < 0x10)
        {
            return _first.Read(port);
        }
        if (port >= 0xC0)
        {
            return _second.Read((port - 0xC0) >> 1);
        }
        int ch = Array.IndexOf(s_pagePorts, port);
        return ch >= 0 ? Channel(ch).Page : _scratchPages[port & 0xF];
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        byte v = (byte)value;
        if (port < 0x10)
        {
            _first.Write(port, v);
            return;
        }
        if (port >= 0xC0)
        {
            _second.Write((port - 0xC0) >> 1, v);
            return;
        }
        int ch = Array.IndexOf(s_pagePorts, port);
        if (ch >= 0)
        {
            Channel(ch).Page = v;
        }
        else
        {
            _scratchPages[port & 0xF] = v;
        }
    }

    /// <summary>Raises (client given) or drops (null) DREQ on <paramref name="channel"/>; a raised request runs at once if the channel can.</summary>
    public void Request(int channel, IDmaClient? client)
    {
        Channel(channel).Client = client;
        if (client is not null && CanRun(channel))
        {
            client.DmaReady(channel);
        }
    }

    /// <summary>Whether the channel answers DREQ now: unmasked, its controller enabled, and for channels 0-3 the cascade channel 4 too.</summary>
    public bool CanRun(int channel)
    {
        Dma8237 c = Controller(channel);
        if (c.Disabled || c.Channels[channel & 3].Masked)
        {
            return false;
        }
        return channel >= 4 || (!_second.Disabled && !_second.Channels[0].Masked && _second.Channels[0].Cascade);
    }

    /// <summary>
    /// Moves data between a device and memory on <paramref name="channel"/> (which must be able
    /// to run): from <paramref name="device"/> into memory when <paramref name="deviceToMemory"/>,
    /// otherwise from memory into it. The channel's transfer type decides what the bus does; a
    /// type that does not match the device's direction moves nothing useful (the device reads
    /// 0xFF, memory is untouched). Stops at terminal count; returns the bytes moved.
    /// </summary>
    public int Transfer(int channel, Span<byte> device, bool deviceToMemory, out bool terminalCount)
    {
        DmaChannel c = Channel(channel);
        bool word = channel >= 4;
        int unit = word ? 2 : 1;
        DmaTransferType type = c.TransferType;
        int done = 0;
        terminalCount = false;
        while (done + unit <= device.Length)
        {
            uint phys = word
                ? ((uint)(c.Page & 0xFE) << 16) | ((uint)c.CurrentAddress << 1)
                : ((uint)c.Page << 16) | c.CurrentAddress;
            if (deviceToMemory)
            {
                if (type == DmaTransferType.WriteToMemory)
                {
                    _memory.WriteBytes(phys, device.Slice(done, unit));
                }
            }
            else if (type == DmaTransferType.ReadFromMemory)
            {
                _memory.ReadBytes(phys, device.Slice(done, unit));
            }
            else
            {
                device.Slice(done, unit).Fill(0xFF);
            }
            done += unit;
            c.CurrentAddress = (ushort)(c.Decrement ? c.CurrentAddress - 1 : c.CurrentAddress + 1);
            if (c.CurrentCount-- == 0)
            {
                terminalCount = true;
                Controller(channel).SetTerminalCount(channel & 3);
                if (c.AutoInitialize)
                {
                    c.CurrentAddress = c.BaseAddress;
                    c.CurrentCount = c.BaseCount;
                }
                else
                {
                    c.Masked = true;
                }
                break;
            }
        }
        return done;
    }

    /// <summary>After an unmask or enable, channels whose devices hold DREQ run.</summary>
    private void ServeWaiting()
    {
        for (int ch = 0; ch < 8; ch++)
        {
            DmaChannel c = Channel(ch);
            if (c.Client is { } client && CanRun(ch))
            {
                client.DmaReady(ch);
            }
        }
    }
}
