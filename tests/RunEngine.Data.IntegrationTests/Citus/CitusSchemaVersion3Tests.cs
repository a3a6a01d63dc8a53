using RunEngine.Data.IntegrationTests.Contract;

namespace RunEngine.Data.IntegrationTests.Citus;

public sealed class CitusSchemaVersion3Tests(CitusFixture fixture) : SchemaVersion3Contract<CitusFixture>(fixture);
