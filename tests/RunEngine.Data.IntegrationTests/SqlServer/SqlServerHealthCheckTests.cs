using Microsoft.Data.SqlClient;
using RunEngine.Data.IntegrationTests.Contract;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.SqlServer;

namespace RunEngine.Data.IntegrationTests.SqlServer;

public sealed class SqlServerHealthCheckTests(SqlServerFixture fixture) : HealthCheckContract<SqlServerFixture>(fixture)
{
    /// <summary>The fixture's database on a closed loopback port (a stopped server).</summary>
    protected override RunEngineDatabase CreateUnreachableDatabase() =>
        SqlServerDatabase.Create(At(SilentServer.ClosedPort(), connectTimeout: 5));

    protected override RunEngineDatabase? CreateDatabaseAt(int port) => SqlServerDatabase.Create(At(port, connectTimeout: 30));

    private string At(int port, int connectTimeout) =>
        new SqlConnectionStringBuilder(Fixture.ConnectionString)
        {
            DataSource = $"tcp:127.0.0.1,{port}",
            ConnectTimeout = connectTimeout,
            ConnectRetryCount = 0,
            Encrypt = SqlConnectionEncryptOption.Optional,
        }.ConnectionString;
}
