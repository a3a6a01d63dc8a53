namespace RunEngine.Data.Mapping;

/// <summary>The logical type of a column; each provider maps it to its own database type.</summary>
internal enum ColumnKind
{
    /// <summary>A 128-bit id: uniqueidentifier / uuid / TEXT.</summary>
    Guid,

    /// <summary>A 32-bit integer: int / integer / INTEGER.</summary>
    Int32,

    /// <summary>A 16-bit integer holding an enum value: smallint / smallint / INTEGER.</summary>
    Int16,

    /// <summary>Text, bounded when the column has a maximum length: nvarchar(n|max) / varchar(n)|text / TEXT.</summary>
    Text,

    /// <summary>A JSON document stored as text: nvarchar(max) / jsonb / TEXT.</summary>
    Json,

    /// <summary>A UTC instant with microsecond precision: datetimeoffset(7) / timestamptz / TEXT.</summary>
    Timestamp,
}
