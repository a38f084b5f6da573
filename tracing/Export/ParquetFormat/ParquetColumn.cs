namespace Minix318Emu.Tracing.Export.ParquetFormat;

/// <summary>
/// A required (non-null) top-level column: its name and physical type. Integers are annotated
/// as signed (INT_32/INT_64), byte arrays as UTF-8 strings, as every engine expects.
/// </summary>
internal sealed record ParquetColumn(string Name, ParquetType Type);
