namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary><see cref="DistributedWriteTestsBase{TFixture}"/> on the distributed layout's keys (<c>(run_id, id)</c>) on plain PostgreSQL.</summary>
public sealed class PostgreSqlRunKeyedDistributedWriteTests(PostgreSqlRunKeyedFixture fixture) : DistributedWriteTestsBase<PostgreSqlRunKeyedFixture>(fixture);
