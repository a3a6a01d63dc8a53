using Npgsql;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>Writes one column of one entity into the current row of a binary COPY, typed (no boxing, no text formatting).</summary>
internal delegate Task CopyValueWriter<in T>(NpgsqlBinaryImporter importer, T entity, WriteContext context)
    where T : class;
