using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlDocumentedFactoryTests(PostgreSqlFixture fixture) : DocumentedFactoryContract<PostgreSqlFixture>(fixture);
