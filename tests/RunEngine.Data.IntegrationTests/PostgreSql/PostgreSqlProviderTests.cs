using Dapper;
using Npgsql;
using RunEngine.Data.PostgreSql;
using RunEngine.Data.PostgreSql.Schema;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>What is specific to PostgreSQL: its types, entry points, error translation through Dapper and the COPY timeout.</summary>
public sealed class PostgreSqlProviderTests : IClassFixture<PostgreSqlFixture>
{
    private readonly PostgreSqlFixture _fixture;

    public PostgreSqlProviderTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    private RunEngineDatabase Database => _fixture.Database;

    [SkippableFact]
    public async Task EnsureSchemaAsync_Applied_CreatesPostgresColumnTypes()
    {
        _fixture.SkipIfUnavailable();

        var version = await Database.EnsureSchemaAsync();
        var stories = await _fixture.GetColumnsAsync("stories");
        var cards = await _fixture.GetColumnsAsync("cards");

        version.Should().Be(Database.Provider.Schema.LatestVersion);
        stories.Select(c => (c.Name, c.DataType, c.MaxLength, c.Nullable)).Should().Equal(
            ("id", "uuid", null, false),
            ("run_id", "uuid", null, false),
            ("position", "integer", null, false),
            ("title", "character varying", 400, false),
            ("body", "text", null, true),
            ("status", "smallint", null, false),
            ("version", "integer", null, false),
            ("created_at", "timestamp with time zone", null, false),
            ("updated_at", "timestamp with time zone", null, false),
            ("metadata", "jsonb", null, true),
            ("claimed_by", "character varying", 200, true),
            ("lease_expires_at", "timestamp with time zone", null, true));
        cards.Select(c => c.Name).Should().Equal(
            "id", "run_id", "story_id", "position", "title", "description", "status", "version", "created_at", "updated_at", "metadata");
        cards.Single(c => c.Name == "story_id").DataType.Should().Be("uuid");
        cards.Single(c => c.Name == "metadata").DataType.Should().Be("jsonb");
    }

    [SkippableFact]
    public async Task AddRangeAsync_StoriesThroughCopy_RoundTripsEveryColumn()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var created = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var story = new Story
        {
            Id = Guid.CreateVersion7(),
            RunId = runId,
            Position = 7,
            Title = "Tïtle with ünicode and 'quotes'\t\"tabs\"\\",
            Body = null,
            Status = StoryStatus.InProgress,
            Version = 3,
            CreatedAt = created,
            Metadata = "{\"tags\": [\"a\", \"b\"], \"n\": 1}",
        };

        var written = await Database.Stories.AddRangeAsync([story]);
        var read = await Database.Stories.GetAsync(story.Id);

        written.Should().Be(1);
        read.Should().NotBeNull();
        read!.RunId.Should().Be(runId);
        read.Position.Should().Be(7);
        read.Title.Should().Be(story.Title);
        read.Body.Should().BeNull();
        read.Status.Should().Be(StoryStatus.InProgress);
        read.Version.Should().Be(3);
        read.CreatedAt.Should().Be(new DateTimeOffset(created.UtcTicks - (created.UtcTicks % 10), TimeSpan.Zero));
        read.CreatedAt.Offset.Should().Be(TimeSpan.Zero);
        read.UpdatedAt.Should().Be(read.CreatedAt, "an unset UpdatedAt takes CreatedAt");
        read.Metadata.Should().Be("{\"n\": 1, \"tags\": [\"a\", \"b\"]}", "jsonb stores the document in its normalized form");
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardOfMissingStory_ThrowsBatchValidationNamingStoryId()
    {
        _fixture.SkipIfUnavailable();
        var stories = PgRows.Stories(Guid.CreateVersion7(), 3);
        await Database.Stories.AddRangeAsync(stories);
        var cards = PgRows.Cards(stories, 2).ToList();
        cards[4].StoryId = Guid.CreateVersion7();

        var act = () => Database.Cards.AddRangeAsync(cards);

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Position.Should().Be(4);
        error.Field.Should().Be("StoryId");
        error.InnerException.Should().BeOfType<PostgresException>().Which.SqlState.Should().Be(PostgresErrorCodes.ForeignKeyViolation);
        (await CountAsync("re_cards", stories[0].RunId)).Should().Be(0);
    }

    [SkippableFact]
    public async Task AddRangeAsync_IdAlreadyStored_ThrowsBatchValidationNamingTheId()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var stories = PgRows.Stories(runId, 3);
        await Database.Stories.AddRangeAsync(stories.Take(1));
        var again = PgRows.Stories(runId, 3);
        again[2].Id = stories[0].Id;
        again[0].Position = 10;

        var act = () => Database.Stories.AddRangeAsync(again);

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;
        error.Field.Should().Be("Id");
        error.Reason.Should().Contain(stories[0].Id.ToString());
        error.InnerException.Should().BeOfType<PostgresException>().Which.SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
        (await CountAsync("re_stories", runId)).Should().Be(1);
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_ExpectedVersion_StoresSmallintStatusAndUtcTimestamp()
    {
        _fixture.SkipIfUnavailable();
        var story = PgRows.Stories(Guid.CreateVersion7(), 1)[0];
        await Database.Stories.AddRangeAsync([story]);
        _fixture.Time.Advance(TimeSpan.FromMinutes(5));

        var version = await Database.Stories.UpdateStatusAsync(story.Id, StoryStatus.Completed, 1);
        var read = await Database.Stories.GetAsync(story.Id);

        version.Should().Be(2);
        read!.Status.Should().Be(StoryStatus.Completed);
        read.Version.Should().Be(2);
        read.UpdatedAt.Should().Be(_fixture.Time.GetUtcNow());
    }

    [SkippableFact]
    public async Task AddRangeAsync_TimeoutPassesMidStream_ThrowsTimeoutAndWritesNothing()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();

        IEnumerable<Story> SlowStories()
        {
            foreach (var story in PgRows.Stories(runId, 100))
            {
                if (story.Position == 50)
                {
                    // The database's clock is the fixture's fake clock: the deadline passes without waiting.
                    _fixture.Time.Advance(TimeSpan.FromMinutes(2));
                }

                yield return story;
            }
        }

        var act = () => Database.Stories.AddRangeAsync(SlowStories(), new BulkInsertOptions { Timeout = TimeSpan.FromMinutes(1) });

        await act.Should().ThrowAsync<TimeoutException>();
        (await CountAsync("re_stories", runId)).Should().Be(0);
    }

    [SkippableFact]
    public async Task AddRangeAsync_CompletionSlowerThanCommandTimeoutWithoutBulkTimeout_Completes()
    {
        _fixture.SkipIfUnavailable();
        var (database, schema) = await SlowCompletionDatabaseAsync();
        var runId = Guid.CreateVersion7();

        var written = await database.Stories.AddRangeAsync(PgRows.Stories(runId, 10));

        written.Should().Be(10, "a bulk insert without Timeout has no limit, whatever the connection's Command Timeout");
        (await _fixture.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".re_stories WHERE run_id = @run", ("run", runId))).Should().Be(10);
        await database.DisposeAsync();
    }

    [SkippableFact]
    public async Task AddRangeAsync_CompletionSlowerThanBulkTimeout_FailsAndWritesNothing()
    {
        _fixture.SkipIfUnavailable();
        var (database, schema) = await SlowCompletionDatabaseAsync();
        var runId = Guid.CreateVersion7();

        var act = () => database.Stories.AddRangeAsync(PgRows.Stories(runId, 10), new BulkInsertOptions { Timeout = TimeSpan.FromMilliseconds(500) });

        // Not repeated: the caller bounded the whole write with its Timeout (issue 11: the driver's error inside a TransientFaultException).
        var fault = (await act.Should().ThrowExactlyAsync<TransientFaultException>()).Which;
        fault.Attempts.Should().Be(1);
        fault.InnerException.Should().BeAssignableTo<NpgsqlException>().Which.InnerException.Should().BeOfType<TimeoutException>();
        (await _fixture.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".re_stories WHERE run_id = @run", ("run", runId))).Should().Be(0);
        await database.DisposeAsync();
    }

    [SkippableFact]
    public async Task Create_FromConnectionString_WritesAndReleasesItsOwnDataSource()
    {
        _fixture.SkipIfUnavailable();
        var runId = Guid.CreateVersion7();
        var database = PostgreSqlDatabase.Create(_fixture.ConnectionString, new PostgreSqlOptions { TimeProvider = _fixture.Time, LeaseClock = LeaseClock.Host });

        await database.Stories.AddRangeAsync(PgRows.Stories(runId, 5));
        var read = await database.Stories.GetByRunAsync(runId).ToListAsync();
        await database.DisposeAsync();
        var afterDispose = () => database.Stories.GetAsync(runId);

        database.ProviderName.Should().Be("PostgreSQL");
        read.Select(s => s.Position).Should().Equal(0, 1, 2, 3, 4);
        await afterDispose.Should().ThrowAsync<ObjectDisposedException>("the database disposed the data source it built");
    }

    [SkippableFact]
    public async Task Create_FromHostDataSource_LeavesTheDataSourceOpenOnDispose()
    {
        _fixture.SkipIfUnavailable();
        await using var dataSource = NpgsqlDataSource.Create(_fixture.ConnectionString);
        var database = PostgreSqlDatabase.Create(dataSource);

        await database.Stories.AddRangeAsync(PgRows.Stories(Guid.CreateVersion7(), 1));
        await database.DisposeAsync();
        await using var connection = await dataSource.OpenConnectionAsync();

        connection.State.Should().Be(System.Data.ConnectionState.Open);
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_ConcurrentCallersOnNewSchema_ApplyEachVersionOnce()
    {
        _fixture.SkipIfUnavailable();
        var schema = "concurrent_" + Guid.NewGuid().ToString("N")[..8];
        var databases = Enumerable.Range(0, 4).Select(_ => _fixture.CreateDatabase(o => o.Schema = schema)).ToList();

        var versions = await Task.WhenAll(databases.Select(d => d.EnsureSchemaAsync()));
        var recorded = await _fixture.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".re_schema_version");

        var shipped = databases[0].Provider.Schema;
        versions.Should().AllBeEquivalentTo(shipped.LatestVersion);
        recorded.Should().Be(shipped.Scripts.Count(s => s.Version > 0), "each version is recorded once");
    }

    [SkippableFact]
    public async Task EnsureSchemaAsync_CustomSchemaAndPrefix_CreatesSeparateTables()
    {
        _fixture.SkipIfUnavailable();
        var database = _fixture.CreateDatabase(o =>
        {
            o.Schema = "custom_schema";
            o.TablePrefix = "app_";
        });
        var runId = Guid.CreateVersion7();

        await database.EnsureSchemaAsync();
        await database.Stories.AddRangeAsync(PgRows.Stories(runId, 2));
        var inCustom = await _fixture.ScalarAsync<long>("SELECT count(*) FROM custom_schema.app_stories WHERE run_id = @run", ("run", runId));
        var inDefault = await CountAsync("re_stories", runId);

        inCustom.Should().Be(2);
        inDefault.Should().Be(0);
    }

    [Fact]
    public void SchemaLockKey_SameSchemaAndPrefix_IsStableAcrossProcesses()
    {
        // A literal: the key must never change between processes, machines or library versions.
        SchemaLockKey.For("public", "re_").Should().Be(SchemaLockKey.For("public", "re_"));
        SchemaLockKey.For("public", "re_").Should().Be(ExpectedPublicReKey);
        SchemaLockKey.For("public", "app_").Should().NotBe(ExpectedPublicReKey);
        SchemaLockKey.For("other", "re_").Should().NotBe(ExpectedPublicReKey);
    }

    /// <summary>
    /// A database in a schema of its own whose stories table takes 2 seconds to finish each insert statement (a
    /// statement trigger runs when the COPY completes), over connections whose Command Timeout is 1 second.
    /// </summary>
    private async Task<(RunEngineDatabase Database, string Schema)> SlowCompletionDatabaseAsync()
    {
        var schema = "slow_" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = new NpgsqlConnectionStringBuilder(_fixture.ConnectionString) { CommandTimeout = 1 }.ConnectionString;
        var database = PostgreSqlDatabase.Create(connectionString, new PostgreSqlOptions { Schema = schema, TimeProvider = TimeProvider.System });
        await database.EnsureSchemaAsync();
        await using var connection = await _fixture.OpenConnectionAsync();
        await connection.ExecuteAsync(
            $"CREATE FUNCTION \"{schema}\".slow_completion() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); RETURN NULL; END $$; " +
            $"CREATE TRIGGER slow_completion AFTER INSERT ON \"{schema}\".re_stories FOR EACH STATEMENT EXECUTE FUNCTION \"{schema}\".slow_completion();");
        return (database, schema);
    }

    private const long ExpectedPublicReKey = -2699882940944226294;

    private async Task<long> CountAsync(string table, Guid runId)
    {
        await using var connection = await _fixture.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE run_id = @RunId", new { RunId = runId });
    }
}
