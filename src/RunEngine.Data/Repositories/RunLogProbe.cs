using System.Globalization;
using Dapper;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Repositories;

/// <summary>
/// How a repeat after an unknown commit outcome recognises its own applied change: every status change, lease
/// transition and claim writes its run-log entries in the same transaction (or the same statement) as the change,
/// under ids the client made once per call, so those ids are stored exactly when the change is.
/// </summary>
internal static class RunLogProbe
{
    /// <summary>Ids per look-up: SQL Server takes at most 2,100 parameters per request (Dapper expands the list).</summary>
    public const int ChunkSize = 1_000;

    /// <summary>The stored entries among <paramref name="eventIds"/>, by id, when the run is not known (every shard of a distributed database).</summary>
    public static Task<Dictionary<Guid, LoggedEntry>> FindAsync(
        DatabaseProvider provider, OperationScope scope, IEnumerable<Guid> eventIds, CancellationToken cancellationToken) =>
        FindAsync(provider, scope, eventIds, null, cancellationToken);

    /// <summary>The stored entries of the run <paramref name="runId"/> among <paramref name="eventIds"/>, by id (every look-up names the run).</summary>
    public static Task<Dictionary<Guid, LoggedEntry>> FindInRunAsync(
        DatabaseProvider provider, OperationScope scope, Guid runId, IEnumerable<Guid> eventIds, CancellationToken cancellationToken) =>
        FindAsync(provider, scope, eventIds, [runId], cancellationToken);

    /// <summary>
    /// The stored entries among <paramref name="eventIds"/>, by id; with <paramref name="runIds"/> (the runs the entries
    /// were written for), only those runs are searched (<see cref="RunStatements.FindRunEvents"/>).
    /// </summary>
    public static async Task<Dictionary<Guid, LoggedEntry>> FindAsync(
        DatabaseProvider provider, OperationScope scope, IEnumerable<Guid> eventIds, IReadOnlyCollection<Guid>? runIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, LoggedEntry>();
        // The runs take parameters too (SQL Server expands both lists): the chunk leaves room for them.
        var chunkSize = runIds is null ? ChunkSize : Math.Max(1, ChunkSize - runIds.Count);
        foreach (var chunk in eventIds.Chunk(chunkSize))
        {
            var (sql, parameters) = runIds is null
                ? (provider.Runs.FindEvents, (object)new { EventIds = chunk })
                : (provider.Runs.FindRunEvents, new { RunIds = runIds, EventIds = chunk });
            var command = new CommandDefinition(sql, parameters, scope.Transaction, provider.CommandTimeoutSeconds, cancellationToken: cancellationToken);
            var reader = await scope.Connection.ExecuteReaderAsync(command).ConfigureAwait(false);
            await using var readerDisposal = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var entry = new LoggedEntry(
                    reader.GetGuid(0),
                    reader.GetGuid(1),
                    reader.IsDBNull(2) ? null : reader.GetGuid(2),
                    StoredTransition.Timestamp(reader, 3),
                    reader.IsDBNull(4) ? null : reader.GetString(4));
                found[entry.Id] = entry;
            }
        }

        return found;
    }

    /// <summary>
    /// The lease end a renewal's entry names: its message is <c>lease until {expiry:O}</c>, written from the stored
    /// expiry by every provider (<see cref="SingleRowShape.LeaseUntilMessage"/>); null when the message has no such time.
    /// </summary>
    public static DateTimeOffset? LeaseUntil(LoggedEntry entry)
    {
        const string Head = "lease until ";
        var message = entry?.Message;
        if (message is null || !message.StartsWith(Head, StringComparison.Ordinal))
        {
            return null;
        }

        return DateTimeOffset.TryParse(message.AsSpan(Head.Length), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var until)
            ? until.ToUniversalTime()
            : null;
    }
}
