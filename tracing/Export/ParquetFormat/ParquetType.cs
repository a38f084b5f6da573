namespace Minix318Emu.Tracing.Export.ParquetFormat;

/// <summary>Parquet's physical types the tables use, with their numbers in parquet.thrift.</summary>
internal enum ParquetType
{
    /// <summary>One bit per value.</summary>
    Boolean = 0,

    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 1,

    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 2,

    /// <summary>Variable-length bytes; here always a UTF-8 string.</summary>
    String = 6,
}
