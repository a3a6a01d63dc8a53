using System.Data.Common;
using Dapper;
using RunEngine.Data.Diagnostics;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Schema;

/// <summary>Applies the provider's missing schema scripts in one transaction under an application lock and records each version.</summary>
internal static class SchemaMigrator
{
    /// <summary>The highest applied version (NULL when none).</summary>
    public static string CurrentVersionSql(TableNames tables) => $"SELECT MAX(version) FROM {tables.SchemaVersion}";

    /// <summary>Records an applied script from <c>@Version</c>, <c>@Description</c> and <c>@AppliedAt</c>.</summary>
    public static string RecordVersionSql(TableNames tables) =>
        $"INSERT INTO {tables.SchemaVersion} (version, description, applied_at) VALUES (@Version, @Description, @AppliedAt)";

    public static async Task<int> EnsureSchemaAsync(DatabaseProvider provider, DbConnection connection, CancellationToken cancellationToken)
    {
        var diagnostics = provider.Diagnostics;
        var telemetry = diagnostics.Start(TelemetryTags.Migrate, provider.Tables.Prefix + "schema_version");
        try
        {
            var version = await EnsureSchemaCoreAsync(provider, connection, cancellationToken).ConfigureAwait(false);
            telemetry.Succeed();
            DataLog.SchemaUpToDate(diagnostics.Logger, provider.Name, provider.Tables.Schema, version);
            return version;
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            throw;
        }
    }

    private static async Task<int> EnsureSchemaCoreAsync(DatabaseProvider provider, DbConnection connection, CancellationToken cancellationToken)
    {
        var schema = provider.Schema;
        var tables = provider.Tables;
        var timeout = provider.CommandTimeoutSeconds;
        var transaction = await provider.BeginTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var transactionDisposal = transaction.ConfigureAwait(false);
        await schema.AcquireLockAsync(connection, transaction, timeout, cancellationToken).ConfigureAwait(false);
        await schema.CheckLayoutAsync(connection, transaction, timeout, cancellationToken).ConfigureAwait(false);

        await ExecuteScriptAsync(provider, connection, transaction, schema.Scripts[0], cancellationToken).ConfigureAwait(false);
        var current = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            CurrentVersionSql(tables), transaction: transaction, commandTimeout: timeout, cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;
        var initial = current;
        if (current > schema.LatestVersion)
        {
            throw new SchemaException(
                $"The {provider.Name} schema {tables.QuotedSchema} is at version {current}, newer than this library knows ({schema.LatestVersion}). Upgrade RunEngine.Data.");
        }

        var preconditions = SchemaPrecondition.For(tables, provider.Dialect);
        foreach (var script in schema.Scripts)
        {
            if (script.Version == 0 || script.Version <= current)
            {
                continue;
            }

            foreach (var precondition in preconditions.Where(p => p.Version == script.Version))
            {
                var blocking = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    precondition.CountSql, transaction: transaction, commandTimeout: timeout, cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (blocking > 0)
                {
                    throw new SchemaException(precondition.Describe(provider.Name, tables.QuotedSchema, blocking));
                }
            }

            await ExecuteScriptAsync(provider, connection, transaction, script, cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                RecordVersionSql(tables),
                new { script.Version, script.Description, AppliedAt = Timestamps.Normalize(provider.Options.TimeProvider.GetUtcNow()) },
                transaction,
                timeout,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            current = script.Version;
        }

        // The layout (PostgreSQL's distributed mode): after the scripts it builds on, in the same transaction.
        foreach (var script in schema.LayoutScripts)
        {
            await ExecuteScriptAsync(provider, connection, transaction, script, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        // Logged after the commit: only scripts that are really in the database are reported.
        foreach (var script in schema.Scripts.Where(s => s.Version > initial && s.Version <= current))
        {
            DataLog.SchemaScriptApplied(provider.Diagnostics.Logger, provider.Name, script.Version, script.Description, tables.Schema);
        }

        return current;
    }

    private static async Task ExecuteScriptAsync(
        DatabaseProvider provider, DbConnection connection, DbTransaction transaction, SchemaScript script, CancellationToken cancellationToken)
    {
        foreach (var batch in provider.Schema.SplitBatches(provider.Tables.Expand(script.Text)))
        {
            if (string.IsNullOrWhiteSpace(batch))
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                batch, transaction: transaction, commandTimeout: provider.CommandTimeoutSeconds, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }
}
