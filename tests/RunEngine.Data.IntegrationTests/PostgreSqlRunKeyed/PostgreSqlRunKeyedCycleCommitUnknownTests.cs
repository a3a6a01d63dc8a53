using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedCycleCommitUnknownTests(PostgreSqlRunKeyedFixture fixture) : CycleCommitUnknownContract<PostgreSqlRunKeyedFixture>(fixture);
