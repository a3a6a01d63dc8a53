using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>Set-based status changes when the connection dies in the middle of the streamed batch.</summary>
public sealed class PostgreSqlSetBasedStatusFaultTests : IClassFixture<PostgreSqlFixture>
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);
    private readonly PostgreSqlFixture _fixture;

    public PostgreSqlSetBasedStatusFaultTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    private RunEngineDatabase Database => _fixture.Database;

    [SkippableFact]
    public async Task UpdateStatusesAsync_ConnectionKilledDuringCopy_FailsAndChangesNothing()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var stories = PgRows.Stories(runId, 10);
        var cards = PgRows.Cards(stories, 1_000).ToList();
        await Database.WriteCycleAsync(stories, cards);
        var log = await CountLogAsync(runId);
        var produced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var update = Task.Run(() => Database.Cards.UpdateStatusesAsync(
            PausingAfter(cards.Select(c => new StatusChange<CardStatus>(c.Id, 1, CardStatus.Completed)), 5_000, produced, killed)));
        await produced.Task.WaitAsync(WaitLimit);
        var terminated = await TerminateCopyBackendsAsync();
        killed.SetResult();

        var act = () => update;

        var error = (await act.Should().ThrowAsync<Exception>()).Which;
        terminated.Should().Be(1);
        // A lazy input already read cannot be repeated: the lost connection surfaces typed, the driver's error inside.
        var fault = error.Should().BeOfType<TransientFaultException>().Which;
        fault.Attempts.Should().Be(1);
        fault.InnerException.Should().BeAssignableTo<DbException>();
        await using var connection = await _fixture.OpenConnectionAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM re_cards WHERE run_id = @runId AND (version <> 1 OR status <> 0)", new { runId }))
            .Should().Be(0);
        (await CountLogAsync(runId)).Should().Be(log);
        (await Database.Cards.UpdateStatusesAsync([new StatusChange<CardStatus>(cards[0].Id, 1, CardStatus.Completed)])).Changed
            .Should().Be(1, "the pool drops the killed connection");
    }

    private static async IAsyncEnumerable<T> PausingAfter<T>(
        IEnumerable<T> rows, int count, TaskCompletionSource produced, TaskCompletionSource resume, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var yielded = 0;
        foreach (var row in rows)
        {
            if (yielded++ == count)
            {
                produced.SetResult();
                await resume.Task.WaitAsync(WaitLimit, CancellationToken.None);
            }

            yield return row;
        }
    }

    private async Task<long> CountLogAsync(Guid runId)
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM re_run_log WHERE run_id = @runId", new { runId });
    }

    private async Task<int> TerminateCopyBackendsAsync()
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*)::int FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity " +
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'COPY %') AS killed");
    }
}
