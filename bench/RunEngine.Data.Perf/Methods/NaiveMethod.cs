using Dapper;
using RunEngine.Data.Mapping;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Methods;

/// <summary>What hosts do today: one awaited Dapper <c>ExecuteAsync</c> per row, all rows in one transaction.</summary>
internal sealed class NaiveMethod : IInsertMethod
{
    public string Name => "naive";

    public bool RunsLargest => false;

    public bool UsesPrebuilt => false;

    public async Task RunAsync(BenchTarget target, CycleWorkload workload, PrebuiltRows? rows, CancellationToken cancellationToken)
    {
        var storySql = InsertSql.SingleRow(target, RunEngineTables.Stories);
        var cardSql = InsertSql.SingleRow(target, RunEngineTables.Cards);
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var story in workload.StoryStream())
        {
            await connection.ExecuteAsync(new CommandDefinition(storySql, target.DapperParameters(story), transaction, cancellationToken: cancellationToken));
        }

        foreach (var card in workload.CardStream())
        {
            await connection.ExecuteAsync(new CommandDefinition(cardSql, target.DapperParameters(card), transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
