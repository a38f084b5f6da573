using Minix318Emu.Devices.Serial;

namespace Minix318Emu.Cli.Hosting;

/// <summary>Feeds the host's standard input to a UART from a background thread.</summary>
public static class StdinPump
{
    /// <summary>Starts the pump; it ends with the process or at end of input.</summary>
    public static void Start(Uart16550 uart)
    {
        var t = new Thread(() =>
        {
            try
            {
                using Stream stdin = Console.OpenStandardInput();
                var buf = new byte[256];
                int n;
                while ((n = stdin.Read(buf, 0, buf.Length)) > 0)
                {
                    uart.Receive(buf.AsSpan(0, n));
                }
            }
            catch (IOException)
            {
                // No usable standard input: the guest simply receives nothing.
            }
        })
        {
            IsBackground = true,
            Name = "stdin pump",
        };
        t.Start();
    }
}
