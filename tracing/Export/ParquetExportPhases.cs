namespace Minix318Emu.Tracing.Export;

/// <summary>
/// Where an export's wall time went (for bench --reports): filling the calls' column arrays
/// from the trace, encoding and compressing them, writing them to the file, and the two small tables.
/// </summary>
public sealed class ParquetExportPhases
{
    /// <summary>Filling the row groups' arrays from the calls (one thread: the caller and stack tables are shared).</summary>
    public TimeSpan Fill { get; internal set; }

    /// <summary>Encoding and compressing the column chunks (on every core, while the next row group is filled).</summary>
    public TimeSpan Encode { get; internal set; }

    /// <summary>Writing the encoded chunks and the footer to calls.parquet.</summary>
    public TimeSpan Write { get; internal set; }

    /// <summary>stacks.parquet and processes.parquet, and the renames.</summary>
    public TimeSpan Tables { get; internal set; }

    /// <summary>calls.parquet's bytes.</summary>
    public long CallsBytes { get; internal set; }
}
