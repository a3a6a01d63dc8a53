using Dapper;
using RunEngine.Data.Mapping;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Methods;

/// <summary>Dapper's list form, <c>ExecuteAsync(sql, rows)</c>: one command reused, still one statement per row.</summary>
internal sealed class DapperListMethod : IInsertMethod
{
    public string Name => "dapper-list";

    public bool RunsLargest => false;

    public bool UsesPrebuilt => false;

    public async Task RunAsync(BenchTarget target, CycleWorkload workload, PrebuiltRows? rows, CancellationToken cancellationToken)
    {
        var storySql = InsertSql.SingleRow(target, RunEngineTables.Stories);
        var cardSql = InsertSql.SingleRow(target, RunEngineTables.Cards);
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            storySql, workload.StoryStream().Select(target.DapperParameters), transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            cardSql, workload.CardStream().Select(target.DapperParameters), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }
}
