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

    /// <summary>
    /// Retry-safe variant (<see cref="ExistingRows.Skip"/>): streams every row through the provider's bulk path into a
    /// staging table, then inserts in one set-based statement only the rows whose id and natural key
    /// (<see cref="Mapping.TableMap{T}.NaturalKey"/>) match no existing row. Returns the number of rows inserted; the
    /// others (<c>rows.Count</c> minus that) were skipped. Must not commit or roll back <paramref name="transaction"/>,
    /// and must leave no staging table behind.
    /// </summary>
    Task<long> InsertMissingAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        Providers.TableStatements<T> table,
        RowSource<T> rows,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
        where T : class;
}
