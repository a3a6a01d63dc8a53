using Npgsql;
using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.PostgreSql;

namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// A caller's <see cref="NpgsqlDataSource"/> without Include Error Detail: Npgsql redacts the key from PostgreSQL's
/// error, so the library says what it can (the constraint, the COPY line, the keys of the rows it remembers) and how to
/// have the key named.
/// </summary>
public sealed class PostgreSqlRedactedKeyTests : IClassFixture<PostgreSqlFixture>, IAsyncLifetime
{
    private readonly PostgreSqlFixture _fixture;
    private NpgsqlDataSource? _dataSource;
    private RunEngineDatabase? _database;

    public PostgreSqlRedactedKeyTests(PostgreSqlFixture fixture)
    {
        _fixture = fixture;
    }

    private RunEngineDatabase Db => _database!;

    public Task InitializeAsync()
    {
        if (_fixture.SkipReason is null)
        {
            _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_fixture.ConnectionString) { IncludeErrorDetail = false });
            _database = PostgreSqlDatabase.Create(_dataSource, new PostgreSqlOptions { TimeProvider = _fixture.Time, LeaseClock = LeaseClock.Host });
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task AddRangeAsync_IdAlreadyStoredWithoutDetail_NamedFromTheRememberedRows()
    {
        _fixture.SkipIfUnavailable();
        var existing = TestData.Stories(TestData.NewRunId(), 1).ToList();
        await Db.Stories.AddRangeAsync(existing);
        var stories = TestData.Stories(TestData.NewRunId(), 4).ToList();
        stories[2].Id = existing[0].Id;

        var error = (await FluentActions.Awaiting(() => Db.Stories.AddRangeAsync(stories)).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Field.Should().Be("Id");
        error.Position.Should().Be(2);
        error.Reason.Should().Contain(existing[0].Id.ToString()).And.Contain("already stored");
        (await Db.Stories.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AddRangeAsync_PositionTakenWithoutDetail_NamesTheKeyColumnsTheRowAndHowToGetTheKey()
    {
        _fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 5).ToList();
        stories[3].Position = 1;

        var error = (await FluentActions.Awaiting(() => Db.Stories.AddRangeAsync(stories)).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Field.Should().Be("Position");
        error.Position.Should().Be(3);
        error.Reason.Should().Contain("(run_id, position)").And.Contain("Include Error Detail");
    }

    [SkippableFact]
    public async Task AddRangeAsync_CardOfMissingStoryWithoutDetail_NamedFromTheRememberedReferences()
    {
        _fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 2).ToList();
        await Db.Stories.AddRangeAsync(stories);
        var cards = TestData.Cards(stories, 2);
        var missing = TestData.Story(stories[0].RunId, 7);
        cards.Insert(1, TestData.Card(missing, 0));

        var error = (await FluentActions.Awaiting(() => Db.Cards.AddRangeAsync(cards)).Should().ThrowAsync<BatchValidationException>()).Which;

        error.Field.Should().Be("StoryId");
        error.Position.Should().Be(1);
        error.Reason.Should().Contain(missing.Id.ToString()).And.Contain("neither in this batch nor in the database");
        (await Db.Cards.GetByRunAsync(stories[0].RunId).ToListAsync()).Should().BeEmpty();
    }
}
