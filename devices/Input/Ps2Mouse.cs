namespace Minix318Emu.Devices.Input;

/// <summary>
/// A standard PS/2 mouse behind the i8042's auxiliary port: reset (FA AA 00), identify (ID 0),
/// defaults, stream and remote modes, data reporting on and off, sample rate, resolution,
/// scaling, status request, read data, and three-byte movement packets. Replies go to the
/// controller through <see cref="Reply"/>.
/// </summary>
public sealed partial class Ps2Mouse
{
    private readonly Action<byte> _reply;
    private int _pendingCommand = -1; // a command waiting for its argument (F3 sample rate, E8 resolution)
    private byte _sampleRate = 100, _resolution = 2;
    private bool _scaling21, _reporting, _remote, _wrap;
    private byte _buttons;
    private int _dx, _dy;
    private byte _last = 0xFA;

    /// <param name="reply">Sends one byte from the mouse to the host.</param>
    public Ps2Mouse(Action<byte> reply) => _reply = reply;

    /// <summary>Whether the mouse sends movement packets by itself (stream mode with reporting on).</summary>
    public bool Streaming => _reporting && !_remote;

    private void Reply(byte v)
    {
        _last = v;
        _reply(v);
    }

    /// <summary>A byte the host wrote to the mouse (controller command D4).</summary>
    public void Receive(byte v)
    {
        if (_pendingCommand >= 0)
        {
            int cmd = _pendingCommand;
            _pendingCommand = -1;
            if (cmd == 0xF3)
            {
                _sampleRate = v;
            }
            else
            {
                _resolution = (byte)(v & 3);
            }
            Reply(0xFA);
            return;
        }
        if (_wrap && v is not (0xEC or 0xFF))
        {
            Reply(v); // wrap mode echoes everything but "reset wrap mode" and "reset"
            return;
        }
        switch (v)
        {
            case 0xFF: // reset: acknowledge, self-test passed, device ID
                Defaults();
                _wrap = false;
                _remote = false;
                Reply(0xFA);
                Reply(0xAA);
                Reply(0x00);
                break;
            case 0xFE: // resend
                _reply(_last);
                break;
            case 0xF6: // set defaults
                Defaults();
                Reply(0xFA);
                break;
            case 0xF5:
                _reporting = false;
                _dx = _dy = 0;
                Reply(0xFA);
                break;
            case 0xF4: // enable data reporting: movement counted from now
                _reporting = true;
                _dx = _dy = 0;
                Reply(0xFA);
                break;
            case 0xF3: // set sample rate
            case 0xE8: // set resolution
                _pendingCommand = v;
                Reply(0xFA);
                break;
            case 0xF2: // get device ID: a standard mouse
                Reply(0xFA);
                Reply(0x00);
                break;
            case 0xF0:
                _remote = true;
                Reply(0xFA);
                break;
            case 0xEE:
                _wrap = true;
                Reply(0xFA);
                break;
            case 0xEC:
                _wrap = false;
                Reply(0xFA);
                break;
            case 0xEB: // read data: one packet now
                Reply(0xFA);
                SendPacket();
                break;
            case 0xEA:
                _remote = false;
                Reply(0xFA);
                break;
            case 0xE9: // status request
                Reply(0xFA);
                Reply((byte)((_remote ? 0x40 : 0) | (_reporting ? 0x20 : 0) | (_scaling21 ? 0x10 : 0) | (_buttons & 7)));
                Reply(_resolution);
                Reply(_sampleRate);
                break;
            case 0xE7:
                _scaling21 = true;
                Reply(0xFA);
                break;
            case 0xE6:
                _scaling21 = false;
                Reply(0xFA);
                break;
            default:
                Reply(0xFE); // resend: not a mouse command
                break;
        }
    }

    /// <summary>Moves the mouse (and sets its buttons: bit 0 left, 1 right, 2 middle); in stream mode with reporting on, a packet follows.</summary>
    public void Move(int dx, int dy, byte buttons)
    {
        _dx += dx;
        _dy += dy;
        _buttons = (byte)(buttons & 7);
        if (Streaming)
        {
            SendPacket();
        }
    }

    private void SendPacket()
    {
        int dx = Math.Clamp(_dx, -256, 255), dy = Math.Clamp(_dy, -256, 255);
        byte b0 = (byte)(0x08 | _buttons | (dx < 0 ? 0x10 : 0) | (dy < 0 ? 0x20 : 0)
            | (_dx is < -256 or > 255 ? 0x40 : 0) | (_dy is < -256 or > 255 ? 0x80 : 0));
        _dx = _dy = 0;
        Reply(b0);
        Reply((byte)dx);
        Reply((byte)dy);
    }

    private void Defaults()
    {
        _sampleRate = 100;
        _resolution = 2;
        _scaling21 = false;
        _reporting = false;
        _dx = _dy = 0;
    }
}
