using System.Data.Common;

namespace RunEngine.Data.Bulk;

/// <summary>
/// Reads what a retry-safe insert batch returns: the count of the rows it inserted (the first column of its first row),
/// then drains the batch so that an error of a later statement (the stage's DROP) is raised here, not lost.
/// </summary>
internal static class InsertedCount
{
    public static async Task<long> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The retry-safe insert returned no row count.");
        }

        var inserted = reader.GetInt64(0);
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
        }

        return inserted;
    }
}
