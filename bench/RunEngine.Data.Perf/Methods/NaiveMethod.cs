using Dapper;
using RunEngine.Data.Mapping;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Methods;

/// <summary>
/// What hosts do today: one awaited Dapper <c>ExecuteAsync</c> per row. <c>naive</c> is the plain loop, so every
/// INSERT is its own (auto-committed) transaction; <c>naive-tx</c> is the same loop inside one transaction, the
/// fairer comparison for atomicity (the library's cycle is one transaction too).
/// </summary>
internal sealed class NaiveMethod : IInsertMethod
{
    private readonly bool _oneTransaction;

    public NaiveMethod(bool oneTransaction)
    {
        _oneTransaction = oneTransaction;
    }

    public string Name => _oneTransaction ? "naive-tx" : "naive";

    public bool RunsLargest => false;

    public bool UsesPrebuilt => false;

    public async Task RunAsync(BenchTarget target, CycleWorkload workload, PrebuiltRows? rows, CancellationToken cancellationToken)
    {
        var storySql = InsertSql.SingleRow(target, RunEngineTables.Stories);
        var cardSql = InsertSql.SingleRow(target, RunEngineTables.Cards);
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var transaction = _oneTransaction ? await connection.BeginTransactionAsync(cancellationToken) : null;
        foreach (var story in workload.StoryStream())
        {
            await connection.ExecuteAsync(new CommandDefinition(storySql, target.DapperParameters(story), transaction, cancellationToken: cancellationToken));
        }

        foreach (var card in workload.CardStream())
        {
            await connection.ExecuteAsync(new CommandDefinition(cardSql, target.DapperParameters(card), transaction, cancellationToken: cancellationToken));
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
