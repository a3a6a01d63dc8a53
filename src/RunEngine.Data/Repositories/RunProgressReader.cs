using System.Globalization;
using Dapper;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Repositories;

/// <summary>Reads a run's counts per status in one query.</summary>
internal static class RunProgressReader
{
    /// <summary>Reads the counts; retried on a transient error.</summary>
    public static Task<RunProgress> ReadAsync(IScopeFactory scopes, DatabaseProvider provider, Guid runId, CancellationToken cancellationToken) =>
        provider.Retry.RunAsync(scopes, Diagnostics.TelemetryTags.RunProgress, (_, token) => ReadOnceAsync(scopes, provider, runId, token), cancellationToken);

    private static async Task<RunProgress> ReadOnceAsync(IScopeFactory scopes, DatabaseProvider provider, Guid runId, CancellationToken cancellationToken)
    {
        var stories = Enum.GetValues<StoryStatus>().ToDictionary(s => s, _ => 0L);
        var cards = Enum.GetValues<CardStatus>().ToDictionary(s => s, _ => 0L);
        var scope = await scopes.BeginAsync(write: false, cancellationToken).ConfigureAwait(false);
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var command = new CommandDefinition(
            provider.Runs.Progress, new { RunId = runId }, scope.Transaction, provider.CommandTimeoutSeconds, cancellationToken: cancellationToken);
        var reader = await scope.Connection.ExecuteReaderAsync(command).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // COUNT(*) is int on SQL Server and bigint elsewhere; convert rather than assume.
            var entity = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            var status = Convert.ToInt16(reader.GetValue(1), CultureInfo.InvariantCulture);
            var count = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
            if (entity == 0)
            {
                stories[(StoryStatus)status] = stories.GetValueOrDefault((StoryStatus)status) + count;
            }
            else
            {
                cards[(CardStatus)status] = cards.GetValueOrDefault((CardStatus)status) + count;
            }
        }

        return new RunProgress(runId, stories, cards);
    }
}
