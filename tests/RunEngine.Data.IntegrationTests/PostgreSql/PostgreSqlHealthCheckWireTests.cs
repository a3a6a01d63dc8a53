using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// The health check on the wire, through a loopback relay in front of the real server: on a warm pool a check is one
/// statement in one round trip (the read of the version table); and a server that stops after a healthy check (the
/// relay goes away with its connections, so the pooled one is dead and new ones are refused) makes the next check
/// Unhealthy instead of hanging or throwing.
/// </summary>
public sealed class PostgreSqlHealthCheckWireTests(PostgreSqlFixture fixture) : IClassFixture<PostgreSqlFixture>
{
    [SkippableFact]
    public async Task CheckHealthAsync_OnAWarmPool_OneStatementInOneRoundTrip()
    {
        fixture.SkipIfUnavailable();
        var server = new NpgsqlConnectionStringBuilder(fixture.ConnectionString);
        using var relay = new PgWireCounter(server.Host!, server.Port);
        await using var db = PostgreSqlDatabase.Create(relay.Relay(fixture.ConnectionString));
        (await CheckAsync(db)).Status.Should().Be(HealthStatus.Healthy, "the first check also opens the pool");

        relay.Start();
        var entry = await CheckAsync(db);
        var messages = relay.Stop();

        entry.Status.Should().Be(HealthStatus.Healthy, entry.Description);
        PgWireCounter.RoundTrips(messages).Should().Be(1);
        messages.Where(m => m.Type is 'P' or 'Q').Select(m => m.Text).Should().ContainSingle()
            .Which.Should().Contain("re_schema_version").And.StartWith("SELECT MAX(version)");
    }

    [SkippableFact]
    public async Task CheckHealthAsync_ServerStopsAfterAHealthyCheck_Unhealthy()
    {
        fixture.SkipIfUnavailable();
        var server = new NpgsqlConnectionStringBuilder(fixture.ConnectionString);
        var relay = new PgWireCounter(server.Host!, server.Port);
        await using var db = PostgreSqlDatabase.Create(relay.Relay(fixture.ConnectionString));
        (await CheckAsync(db)).Status.Should().Be(HealthStatus.Healthy);

        relay.Dispose();
        var entry = await CheckAsync(db);

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("PostgreSQL database could not be reached");
        entry.Exception.Should().BeAssignableTo<NpgsqlException>();
    }

    private static async Task<HealthReportEntry> CheckAsync(RunEngineDatabase db)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddRunEngineData(_ => db);
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries[RunEngineDataHealthChecksBuilderExtensions.DefaultName];
    }
}
