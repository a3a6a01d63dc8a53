using System.Data.Common;
using RunEngine.Data.Mapping;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Methods;

/// <summary>
/// The createMany approach: multi-row parameterized <c>INSERT … VALUES (…), (…)</c> in chunks that respect the
/// database's parameter limit (see <see cref="BenchTarget.MultiRowChunk"/>). One command per chunk width, its
/// parameters created once and refilled per chunk, all chunks in one transaction.
/// </summary>
internal sealed class MultiRowMethod : IInsertMethod
{
    public string Name => "multi-row";

    public bool RunsLargest => false;

    public bool UsesPrebuilt => false;

    public async Task RunAsync(BenchTarget target, CycleWorkload workload, PrebuiltRows? rows, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WriteAsync(target, connection, transaction, RunEngineTables.Stories, workload.StoryStream(), FillStory, cancellationToken);
        await WriteAsync(target, connection, transaction, RunEngineTables.Cards, workload.CardStream(), FillCard, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task WriteAsync<T>(
        BenchTarget target,
        DbConnection connection,
        DbTransaction transaction,
        TableMap<T> map,
        IEnumerable<T> entities,
        Action<BenchTarget, DbParameter[], int, T> fill,
        CancellationToken cancellationToken)
        where T : class
    {
        var width = map.Columns.Count;
        HandWrittenColumns.Check(map);
        var chunk = target.MultiRowChunk(width);
        var commands = new Dictionary<int, (DbCommand Command, DbParameter[] Parameters)>();
        try
        {
            foreach (var rows in entities.Chunk(chunk))
            {
                if (!commands.TryGetValue(rows.Length, out var entry))
                {
                    entry = Create(target, connection, transaction, map, rows.Length);
                    commands.Add(rows.Length, entry);
                }

                for (var r = 0; r < rows.Length; r++)
                {
                    fill(target, entry.Parameters, r * width, rows[r]);
                }

                await entry.Command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            foreach (var (command, _) in commands.Values)
            {
                await command.DisposeAsync();
            }
        }
    }

    private static (DbCommand, DbParameter[]) Create<T>(BenchTarget target, DbConnection connection, DbTransaction transaction, TableMap<T> map, int rows)
        where T : class
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Identifiers come from the library's validated table names; values are parameters.
        command.CommandText = InsertSql.MultiRow(target, map, rows);
#pragma warning restore CA2100
        var parameters = new DbParameter[rows * map.Columns.Count];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < map.Columns.Count; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = InsertSql.ParameterName(r, c);
                parameters[(r * map.Columns.Count) + c] = parameter;
                command.Parameters.Add(parameter);
            }
        }

        return (command, parameters);
    }

    private static void FillStory(BenchTarget t, DbParameter[] p, int o, Story s)
    {
        p[o].Value = t.ParameterValue(s.Id);
        p[o + 1].Value = t.ParameterValue(s.RunId);
        p[o + 2].Value = s.Position;
        p[o + 3].Value = s.Title;
        p[o + 4].Value = t.ParameterValue(s.Body);
        p[o + 5].Value = (short)s.Status;
        p[o + 6].Value = s.Version;
        p[o + 7].Value = t.ParameterValue(s.CreatedAt);
        p[o + 8].Value = t.ParameterValue(s.UpdatedAt);
        p[o + 9].Value = t.ParameterValue(s.Metadata);
        p[o + 10].Value = t.ParameterValue(s.ClaimedBy);
        p[o + 11].Value = t.ParameterValue(s.LeaseExpiresAt);
    }

    private static void FillCard(BenchTarget t, DbParameter[] p, int o, Card c)
    {
        p[o].Value = t.ParameterValue(c.Id);
        p[o + 1].Value = t.ParameterValue(c.RunId);
        p[o + 2].Value = t.ParameterValue(c.StoryId);
        p[o + 3].Value = c.Position;
        p[o + 4].Value = c.Title;
        p[o + 5].Value = t.ParameterValue(c.Description);
        p[o + 6].Value = (short)c.Status;
        p[o + 7].Value = c.Version;
        p[o + 8].Value = t.ParameterValue(c.CreatedAt);
        p[o + 9].Value = t.ParameterValue(c.UpdatedAt);
        p[o + 10].Value = t.ParameterValue(c.Metadata);
    }
}
