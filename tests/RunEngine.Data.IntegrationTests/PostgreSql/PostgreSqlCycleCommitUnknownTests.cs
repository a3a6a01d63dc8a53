using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlCycleCommitUnknownTests(PostgreSqlFixture fixture) : CycleCommitUnknownContract<PostgreSqlFixture>(fixture);
