using Npgsql;
using RunEngine.Data.IntegrationTests.Contract;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusHealthCheckTests(CitusFixture fixture) : HealthCheckContract<CitusFixture>(fixture)
{
    /// <summary>The fixture's database on a closed port (a stopped server), with a password that must never be printed.</summary>
    protected override RunEngineDatabase CreateUnreachableDatabase() => PostgreSqlDatabase.Create(
        new NpgsqlConnectionStringBuilder(Fixture.ConnectionString) { Port = SilentServer.ClosedPort(), Password = UnreachableSecret, Timeout = 5 }.ConnectionString);

    protected override RunEngineDatabase? CreateDatabaseAt(int port) => PostgreSqlDatabase.Create(
        new NpgsqlConnectionStringBuilder(Fixture.ConnectionString) { Host = "127.0.0.1", Port = port, SslMode = SslMode.Disable, Timeout = 30 }.ConnectionString);
}
