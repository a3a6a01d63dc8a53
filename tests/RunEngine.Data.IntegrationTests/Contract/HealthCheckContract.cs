using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Mapping;
using RunEngine.Data.Schema;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// <c>services.AddHealthChecks().AddRunEngineData()</c> against each real database, through <see cref="HealthCheckService"/>
/// as a host runs it: Healthy with the provider and version when the schema is the library's; Unhealthy, naming both
/// versions, when a version row was removed (older), the tables were never created (older, version 0) or a version row
/// above the library's was added (newer); Unhealthy when the server is unreachable (a closed port) or never answers (a
/// listener that accepts and stays silent: the timeout ends the check). Each case gets tables of its own (a prefix).
/// </summary>
public abstract class HealthCheckContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected HealthCheckContract(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>A database object of this provider whose server cannot be reached (a closed port, a missing folder).</summary>
    protected abstract RunEngineDatabase CreateUnreachableDatabase();

    /// <summary>A database object of this provider pointed at a server on 127.0.0.1:<paramref name="port"/>; null for an in-process database.</summary>
    protected abstract RunEngineDatabase? CreateDatabaseAt(int port);

    [SkippableFact]
    public async Task CheckHealthAsync_SchemaAtTheLibrarysVersion_HealthyWithProviderAndVersion()
    {
        Fixture.SkipIfUnavailable();

        var entry = await CheckAsync(Db);

        entry.Status.Should().Be(HealthStatus.Healthy, entry.Description);
        entry.Data["provider"].Should().Be(Fixture.ProviderName);
        entry.Data["schemaVersion"].Should().Be(Latest);
        entry.Data["expectedSchemaVersion"].Should().Be(Latest);
        entry.Description.Should().Contain(Fixture.ProviderName).And.Contain($"version {Latest}");
    }

    [SkippableFact]
    public async Task CheckHealthAsync_LatestVersionRowRemoved_UnhealthyOlderNamingBothVersions()
    {
        Fixture.SkipIfUnavailable();
        await using var db = Fixture.CreateDatabase(o => o.TablePrefix = "hco_");
        await db.EnsureSchemaAsync();
        await ExecuteAsync($"DELETE FROM {db.Provider.Tables.SchemaVersion} WHERE version = @Version", new { Version = Latest });

        var entry = await CheckAsync(db);

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain($"version {Latest - 1}, older than this library's version {Latest}");
        entry.Data["schemaVersion"].Should().Be(Latest - 1);
    }

    [SkippableFact]
    public async Task CheckHealthAsync_TablesNeverCreated_UnhealthyOlderAtVersionZero_HealthyOnceCreated()
    {
        Fixture.SkipIfUnavailable();
        await using var db = Fixture.CreateDatabase(o => o.TablePrefix = "hcn_");

        var before = await CheckAsync(db);
        await db.EnsureSchemaAsync();
        var after = await CheckAsync(db);

        before.Status.Should().Be(HealthStatus.Unhealthy);
        before.Description.Should().Contain("no hcn_schema_version table").And.Contain($"version 0, older than this library's version {Latest}");
        before.Data["schemaVersion"].Should().Be(0);
        before.Exception.Should().BeNull("a missing table is a finding, not a failure to read");
        after.Status.Should().Be(HealthStatus.Healthy, after.Description);
    }

    [SkippableFact]
    public async Task CheckHealthAsync_VersionRowAboveTheLibrarysAdded_UnhealthyNewerNamingBothVersions()
    {
        Fixture.SkipIfUnavailable();
        await using var db = Fixture.CreateDatabase(o => o.TablePrefix = "hcx_");
        await db.EnsureSchemaAsync();
        await ExecuteAsync(
            SchemaMigrator.RecordVersionSql(db.Provider.Tables),
            new { Version = Latest + 1, Description = "from a newer library", AppliedAt = Timestamps.Normalize(Fixture.Time.GetUtcNow()) });

        var entry = await CheckAsync(db);

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain($"version {Latest + 1}, newer than this library's version {Latest}");
        entry.Data["schemaVersion"].Should().Be(Latest + 1);
    }

    [SkippableFact]
    public async Task CheckHealthAsync_ServerUnreachable_UnhealthyWithTheDriversErrorAttached()
    {
        Fixture.SkipIfUnavailable();
        await using var db = CreateUnreachableDatabase();

        var entry = await CheckAsync(db, failureStatus: HealthStatus.Degraded);

        entry.Status.Should().Be(HealthStatus.Degraded, "the registration's failure status is what a failed check reports");
        entry.Description.Should().MatchRegex("could not be reached|did not answer");
        entry.Description.Should().NotContain(UnreachableSecret).And.NotContain("Data Source").And.NotContain("Port=");
        entry.Data.Should().NotContainKey("schemaVersion");
    }

    [SkippableFact]
    public async Task CheckHealthAsync_ServerNeverAnswers_UnhealthyWhenTheTimeoutEnds()
    {
        Fixture.SkipIfUnavailable();
        using var server = new SilentServer();
        var db = CreateDatabaseAt(server.Port);
        Skip.If(db is null, $"{Fixture.ProviderName} runs in-process: there is no server to stall");
        await using var disposal = db;

        var entry = await CheckAsync(db!, timeout: TimeSpan.FromMilliseconds(300));

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("did not answer within 0.3 s");
    }

    /// <summary>A password put in the unreachable database's connection string (where the provider has one), never to be printed.</summary>
    protected const string UnreachableSecret = "hc-secret-never-printed";

    /// <summary>The version the library's scripts reach on this provider.</summary>
    protected int Latest => Db.Provider.Schema.LatestVersion;

    /// <summary>Runs the registered check the way a host does, with HealthCheckService, and returns its entry.</summary>
    protected static async Task<HealthReportEntry> CheckAsync(RunEngineDatabase db, HealthStatus? failureStatus = null, TimeSpan? timeout = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddRunEngineData(_ => db, failureStatus: failureStatus, tags: ["ready"], timeout: timeout);
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        report.Entries.Should().ContainKey(RunEngineDataHealthChecksBuilderExtensions.DefaultName);
        var entry = report.Entries[RunEngineDataHealthChecksBuilderExtensions.DefaultName];
        entry.Tags.Should().Equal("ready");
        return entry;
    }

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await Fixture.OpenConnectionAsync();
        (await connection.ExecuteAsync(sql, parameters)).Should().Be(1);
    }
}
