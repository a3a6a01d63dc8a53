using LinqToDB.Data;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Methods;

/// <summary>
/// linq2db 6, the peer users pick for bulk copies: <c>BulkCopyAsync</c> with <see cref="BulkCopyType.ProviderSpecific"/>,
/// stories then cards, in one transaction, over lazy generators, mapped onto the library's tables
/// (<see cref="Peers.Linq2DbMapping"/>). PostgreSQL: binary COPY through Npgsql. SQLite has no provider-specific bulk
/// path in linq2db, which falls back to its multi-row INSERTs there.
/// </summary>
internal sealed class Linq2DbMethod : IInsertMethod
{
    private static readonly BulkCopyOptions Options = new() { BulkCopyType = BulkCopyType.ProviderSpecific };

    public string Name => "linq2db";

    /// <summary>Fast enough for the largest sizes (it ties the library on PostgreSQL), and it streams its input as the library does.</summary>
    public bool RunsLargest => true;

    public bool UsesPrebuilt => false;

    public bool Supports(BenchTarget target) => target.Peers is not null;

    public async Task RunAsync(BenchTarget target, CycleWorkload workload, PrebuiltRows? rows, CancellationToken cancellationToken)
    {
        var peers = target.Peers ?? throw new NotSupportedException($"linq2db is not mapped on {target.Name}.");
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var db = new DataConnection(peers.Linq2Db(connection));
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var stories = await db.BulkCopyAsync(Options, workload.StoryStream(), cancellationToken);
        var cards = await db.BulkCopyAsync(Options, workload.CardStream(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (stories.RowsCopied != workload.Stories || cards.RowsCopied != workload.Cards)
        {
            throw new InvalidOperationException(
                $"linq2db reported {stories.RowsCopied} stories and {cards.RowsCopied} cards copied, expected {workload.Stories} and {workload.Cards}.");
        }
    }
}
