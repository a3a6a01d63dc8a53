using System.Data.Common;
using System.Globalization;

namespace RunEngine.Data.Repositories;

/// <summary>
/// What a lease transition stored, read back from its RETURNING / OUTPUT columns (version, then lease_expires_at when
/// the statement returns it, then updated_at): the caller gets the database's values, never the host's guess.
/// </summary>
internal sealed record StoredTransition(int Version, DateTimeOffset? LeaseExpiresAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Reads the current row: two columns (version, updated_at) or three (version, lease_expires_at, updated_at).</summary>
    public static StoredTransition Read(DbDataReader reader)
    {
        var version = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
        if (reader.FieldCount == 2)
        {
            return new StoredTransition(version, null, Timestamp(reader, 1));
        }

        return new StoredTransition(version, reader.IsDBNull(1) ? null : Timestamp(reader, 1), Timestamp(reader, 2));
    }

    /// <summary>
    /// Reads the current row of a batch statement: the story id, then version, then lease_expires_at when
    /// <paramref name="withLease"/>, then updated_at.
    /// </summary>
    public static (Guid Id, StoredTransition Stored) ReadKeyed(DbDataReader reader, bool withLease)
    {
        var id = reader.GetGuid(0);
        var version = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
        if (!withLease)
        {
            return (id, new StoredTransition(version, null, Timestamp(reader, 2)));
        }

        return (id, new StoredTransition(version, reader.IsDBNull(2) ? null : Timestamp(reader, 2), Timestamp(reader, 3)));
    }

    /// <summary>
    /// Reads a batch transition's two results into <paramref name="into"/>: first the ids its ordered locking SELECT
    /// returned (they only take the locks in id order, so they are skipped), then the changed rows (<see cref="ReadKeyed"/>).
    /// </summary>
    public static async Task ReadAfterLocksAsync(
        DbDataReader reader, bool withLease, Dictionary<Guid, StoredTransition> into, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(into);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var (id, transition) = ReadKeyed(reader, withLease);
            into[id] = transition;
        }
    }

    /// <summary>A stored timestamp in UTC (providers return the instant with their own offset; SQLite as text).</summary>
    public static DateTimeOffset Timestamp(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal).ToUniversalTime();
}
