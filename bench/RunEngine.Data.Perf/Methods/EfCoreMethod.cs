using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Methods;

/// <summary>
/// EF Core 10 as its users write a batch: <c>AddRange</c> of the stories and the cards and one <c>SaveChangesAsync</c>,
/// in one explicit transaction, change tracking on (the defaults), mapped onto the library's tables
/// (<see cref="Peers.PeerDbContext"/>). EF Core batches the INSERTs itself (PostgreSQL: up to its batch size per round trip).
/// </summary>
internal sealed class EfCoreMethod : IInsertMethod
{
    public string Name => "efcore";

    public bool RunsLargest => false;

    public bool UsesPrebuilt => false;

    public bool Supports(BenchTarget target) => target.Peers is not null;

    public async Task RunAsync(BenchTarget target, CycleWorkload workload, PrebuiltRows? rows, CancellationToken cancellationToken)
    {
        var peers = target.Peers ?? throw new NotSupportedException($"EF Core is not mapped on {target.Name}.");
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var context = peers.EfCore(connection);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        context.Stories.AddRange(workload.StoryStream());
        context.Cards.AddRange(workload.CardStream());
        var written = await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (written != workload.Rows)
        {
            throw new InvalidOperationException($"EF Core reported {written} rows written, expected {workload.Rows}.");
        }
    }
}
