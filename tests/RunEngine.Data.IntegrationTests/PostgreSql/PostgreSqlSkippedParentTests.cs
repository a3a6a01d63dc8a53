using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlSkippedParentTests(PostgreSqlFixture fixture) : SkippedParentContract<PostgreSqlFixture>(fixture);
