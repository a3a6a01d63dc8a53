using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

public sealed class PostgreSqlRunKeyedDocumentedFactoryTests(PostgreSqlRunKeyedFixture fixture) : DocumentedFactoryContract<PostgreSqlRunKeyedFixture>(fixture);
