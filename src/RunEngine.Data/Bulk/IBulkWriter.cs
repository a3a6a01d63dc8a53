using System.Data.Common;

namespace RunEngine.Data.Bulk;

/// <summary>A provider's bulk protocol: streams the rows of one table into the database inside the given transaction.</summary>
internal interface IBulkWriter
{
    /// <summary>
    /// Writes every row of <paramref name="rows"/> into <paramref name="table"/> (the quoted, qualified name) and returns
    /// the number of rows written. Must not commit or roll back <paramref name="transaction"/>.
    /// </summary>
    Task<long> WriteAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        string table,
        RowSource<T> rows,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
        where T : class;
}
