using Dapper;
using RunEngine.Data.Mapping;
using RunEngine.Data.Perf.Methods;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Peers;

/// <summary>
/// Before anything is timed, once per database: the library writes a small cycle, each peer writes the same cycle into
/// fresh tables, and every column of every story and card is read back as the database stores it
/// (<see cref="PeerDatabase.StoredText"/>) and compared. A peer that stores anything else (a BLOB id, another timestamp
/// text, a text metadata instead of jsonb) stops the run for that database, naming the table, row, column and id.
/// </summary>
internal static class PeerCheck
{
    /// <summary>Three stories, the last one short; cards with and without metadata; row 0's timestamps without a fraction.</summary>
    private const int Cards = 25;

    public static async Task RunAsync(BenchTarget target, IReadOnlyList<IInsertMethod> peers, TextWriter log, CancellationToken cancellationToken)
    {
        if (peers.Count == 0)
        {
            return;
        }

        var stored = target.Peers ?? throw new NotSupportedException($"The peers are not mapped on {target.Name}.");
        var workload = new CycleWorkload(Cards);
        await target.ResetAsync(cancellationToken);
        await new LibraryMethod().RunAsync(target, workload, null, cancellationToken);
        var expectedStories = await ReadAsync(target, stored, target.StoriesTable, RunEngineTables.Stories, cancellationToken);
        var expectedCards = await ReadAsync(target, stored, target.CardsTable, RunEngineTables.Cards, cancellationToken);
        foreach (var peer in peers)
        {
            await target.ResetAsync(cancellationToken);
            await peer.RunAsync(target, workload, null, cancellationToken);
            Compare(target, peer, "stories", RunEngineTables.Stories, expectedStories, await ReadAsync(target, stored, target.StoriesTable, RunEngineTables.Stories, cancellationToken));
            Compare(target, peer, "cards", RunEngineTables.Cards, expectedCards, await ReadAsync(target, stored, target.CardsTable, RunEngineTables.Cards, cancellationToken));
            await log.WriteLineAsync(
                $"{target.Name} {peer.Name}: stores rows identical to the library's ({expectedStories.Count} stories, {expectedCards.Count} cards, every column compared as stored)");
        }

        await target.ResetAsync(cancellationToken);
    }

    private static async Task<List<string?[]>> ReadAsync<T>(BenchTarget target, PeerDatabase stored, string table, TableMap<T> map, CancellationToken cancellationToken)
        where T : class
    {
        var columns = string.Join(", ", map.Columns.Select(c => stored.StoredText(c.Name)));
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {columns} FROM {table} ORDER BY id", cancellationToken: cancellationToken));
        var rows = new List<string?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new string?[map.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    // Names table, position, column and id; never the values (row content stays out of messages).
    private static void Compare<T>(BenchTarget target, IInsertMethod peer, string table, TableMap<T> map, List<string?[]> expected, List<string?[]> actual)
        where T : class
    {
        if (expected.Count != actual.Count)
        {
            throw new InvalidOperationException($"{target.Name} {peer.Name}: {actual.Count} {table} stored, the library stores {expected.Count}.");
        }

        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < map.Columns.Count; c++)
            {
                if (!string.Equals(expected[r][c], actual[r][c], StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"{target.Name} {peer.Name}: {table} row {r} (id {expected[r][0]}), column {map.Columns[c].Name}: stored differently from the library " +
                        $"({(actual[r][c] is null ? "NULL" : "a value")} where the library stores {(expected[r][c] is null ? "NULL" : "another value")}).");
                }
            }
        }
    }
}
