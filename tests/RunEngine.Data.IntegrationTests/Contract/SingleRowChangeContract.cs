using System.Data.Common;
using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// The single-row changes (<see cref="IStoryRepository.UpdateStatusAsync"/>, <see cref="ICardRepository.UpdateStatusAsync"/>,
/// <see cref="IStoryClaims.RenewAsync"/>, <see cref="IStoryClaims.CompleteAsync"/>, <see cref="IStoryClaims.ReleaseAsync"/>)
/// in whatever form the provider sends them (one statement in autocommit, or two in one transaction): each still checks
/// the version or the lease, explains a lost lease, writes its log entry with the change or not at all, and runs inside
/// a session's or a joined caller's transaction.
/// </summary>
public abstract class SingleRowChangeContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected SingleRowChangeContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_Success_ChangesTheRowAndWritesItsEntry()
    {
        Fixture.SkipIfUnavailable();
        var (story, card) = await SeedAsync();

        var storyVersion = await Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Failed, 1);
        var cardVersion = await Db.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1);

        (storyVersion, cardVersion).Should().Be((2, 2));
        var storedStory = (await Db.Stories.GetAsync(story.Id))!;
        var storedCard = (await Db.Cards.GetAsync(card.Id))!;
        (storedStory.Status, storedStory.Version, storedCard.Status, storedCard.Version).Should().Be((StoryStatus.Failed, 2, CardStatus.InProgress, 2));
        var log = await ChangesOfRunAsync(story.RunId);
        log.Should().HaveCount(2);
        log[0].Should().BeEquivalentTo(new
        {
            RunId = story.RunId, StoryId = (Guid?)story.Id, CardId = (Guid?)null, Kind = RunEventKinds.StoryStatusChanged,
            Message = "status set to Failed (version 2)", Worker = (string?)null, OccurredAt = storedStory.UpdatedAt,
        });
        log[1].Should().BeEquivalentTo(new
        {
            RunId = story.RunId, StoryId = (Guid?)story.Id, CardId = (Guid?)card.Id, Kind = RunEventKinds.CardStatusChanged,
            Message = "status set to InProgress (version 2)", Worker = (string?)null, OccurredAt = storedCard.UpdatedAt,
        });
    }

    [SkippableFact]
    public async Task UpdateStatusAsync_VersionConflictOrMissing_ThrowsAndWritesNothing()
    {
        Fixture.SkipIfUnavailable();
        var (story, card) = await SeedAsync();
        await Db.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1);
        var log = await CountRunLogAsync();

        var conflict = (await FluentActions.Awaiting(() => Db.Cards.UpdateStatusAsync(card.Id, CardStatus.Completed, 1))
            .Should().ThrowAsync<ConcurrencyConflictException>()).Which;
        var storyConflict = (await FluentActions.Awaiting(() => Db.Stories.UpdateStatusAsync(story.Id, StoryStatus.Completed, 5))
            .Should().ThrowAsync<ConcurrencyConflictException>()).Which;
        await FluentActions.Awaiting(() => Db.Stories.UpdateStatusAsync(Guid.CreateVersion7(), StoryStatus.Completed, 1))
            .Should().ThrowAsync<EntityNotFoundException>();

        (conflict.Id, conflict.ExpectedVersion, conflict.ActualVersion).Should().Be((card.Id, 1, 2));
        (storyConflict.ExpectedVersion, storyConflict.ActualVersion).Should().Be((5, 1));
        (await Db.Cards.GetAsync(card.Id))!.Should().BeEquivalentTo(new { Status = CardStatus.InProgress, Version = 2 });
        (await Db.Stories.GetAsync(story.Id))!.Should().BeEquivalentTo(new { Status = StoryStatus.Ready, Version = 1 });
        (await CountRunLogAsync()).Should().Be(log, "no change, no entry");
    }

    [SkippableFact]
    public async Task LeaseTransitions_Success_ReturnStoredValuesAndWriteTheirEntries()
    {
        Fixture.SkipIfUnavailable();
        var (story, _) = await SeedAsync();
        var claim = (await Db.Claims.ClaimAsync(story.RunId, "w1", 1, Lease)).Single();
        Fixture.Time.Advance(TimeSpan.FromSeconds(10));

        var renewed = await Db.Claims.RenewAsync(claim, Lease);
        var afterRenew = (await Db.Stories.GetAsync(story.Id))!;
        await Db.Claims.ReleaseAsync(renewed);
        var afterRelease = (await Db.Stories.GetAsync(story.Id))!;
        var again = (await Db.Claims.ClaimAsync(story.RunId, "w1", 1, Lease)).Single();
        var completedVersion = await Db.Claims.CompleteAsync(again, StoryStatus.Completed, "all cards done");
        var completed = (await Db.Stories.GetAsync(story.Id))!;

        renewed.Version.Should().Be(claim.Version + 1);
        renewed.LeaseExpiresAt.Should().Be(afterRenew.LeaseExpiresAt!.Value).And.Be(Now + Lease);
        renewed.Story.UpdatedAt.Should().Be(afterRenew.UpdatedAt);
        (afterRelease.Status, afterRelease.ClaimedBy, afterRelease.LeaseExpiresAt).Should().Be((StoryStatus.Ready, null, null));
        completedVersion.Should().Be(completed.Version).And.Be(again.Version + 1);
        (completed.Status, completed.ClaimedBy).Should().Be((StoryStatus.Completed, null));
        var log = (await LogOfRunAsync(story.RunId)).Where(e => e.Kind != RunEventKinds.CycleWritten && e.Kind != RunEventKinds.StoryClaimed).ToList();
        log.Select(e => (e.Kind, e.Message, e.Worker, e.StoryId)).Should().Equal(
            (RunEventKinds.LeaseRenewed, $"lease until {afterRenew.LeaseExpiresAt:O}", "w1", story.Id),
            (RunEventKinds.StoryReleased, "released", "w1", story.Id),
            (RunEventKinds.StoryCompleted, "Completed: all cards done", "w1", story.Id));
        log.Select(e => e.OccurredAt).Should().Equal(afterRenew.UpdatedAt, afterRelease.UpdatedAt, completed.UpdatedAt);
    }

    [SkippableFact]
    public async Task RenewAsync_DatabaseClock_EntryNamesTheStoredLeaseExactly()
    {
        Fixture.SkipIfUnavailable();
        // The database's clock has microseconds, so the entry's text (written by the database in the one-statement
        // form) must match .NET's round-trip format of the stored value digit for digit.
        await using var db = Fixture.CreateDatabase(o => o.LeaseClock = LeaseClock.Database);
        var runId = TestData.NewRunId();
        await db.Stories.AddRangeAsync([TestData.Story(runId, 0, StoryStatus.Ready)]);
        var claim = (await db.Claims.ClaimAsync(runId, "w1", 1, Lease)).Single();

        var renewed = await db.Claims.RenewAsync(claim, Lease);

        var stored = (await db.Stories.GetAsync(claim.StoryId))!;
        renewed.LeaseExpiresAt.Should().Be(stored.LeaseExpiresAt!.Value);
        var entry = (await LogOfRunAsync(runId, db)).Single(e => e.Kind == RunEventKinds.LeaseRenewed);
        entry.Message.Should().Be($"lease until {stored.LeaseExpiresAt:O}");
        entry.OccurredAt.Should().Be(stored.UpdatedAt);
    }

    [SkippableFact]
    public async Task LeaseTransitions_LostLease_ThrowWithEachReasonAndWriteNothing()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var stories = Enumerable.Range(0, 5).Select(i => TestData.Story(runId, i, StoryStatus.Ready)).ToList();
        await Db.Stories.AddRangeAsync(stories);
        var claims = (await Db.Claims.ClaimAsync(runId, "w1", 5, Lease)).ToDictionary(c => c.Story.Position);

        // 0: expired; 1: expired and taken by another worker; 2: completed; 3: version moved on; 4: deleted.
        await Db.Claims.CompleteAsync(claims[2], StoryStatus.Completed);
        await Db.Claims.RenewAsync(claims[3], Lease);
        var log = await CountRunLogAsync();

        var lost = new List<string>();
        async Task Lost(Func<Task> call)
        {
            lost.Add((await call.Should().ThrowAsync<LeaseLostException>()).Which.Reason);
        }

        await Lost(() => Db.Claims.CompleteAsync(claims[2], StoryStatus.Failed));
        await Lost(() => Db.Claims.ReleaseAsync(claims[3]));
        Fixture.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        await Lost(() => Db.Claims.RenewAsync(claims[0], Lease));
        var taken = (await Db.Claims.ClaimAsync(runId, "w2", 1, Lease)).Single();
        taken.Story.Position.Should().Be(0);
        var takenToo = (await Db.Claims.ClaimAsync(runId, "w2", 1, Lease)).Single();
        takenToo.Story.Position.Should().Be(1);
        await Lost(() => Db.Claims.CompleteAsync(claims[1], StoryStatus.Completed));
        var logBeforeMissing = await CountRunLogAsync();
        (await Db.Stories.GetAsync(stories[2].Id))!.Status.Should().Be(StoryStatus.Completed, "the lost completion changed nothing");
        (await Db.Stories.DeleteRunAsync(runId)).Stories.Should().Be(5);
        var logAfterDelete = await CountRunLogAsync();
        await Lost(() => Db.Claims.RenewAsync(claims[4], Lease));

        lost.Should().Equal(
            "the story is no longer claimed (status Completed)",
            $"the story's version is now {claims[3].Version + 1}, not {claims[3].Version}",
            $"the lease expired at {claims[0].LeaseExpiresAt:O}",
            "the story is now claimed by another worker",
            "the story no longer exists");
        (logBeforeMissing - log).Should().Be(2, "only the two claims of w2 wrote entries; a lost lease writes none");
        (await CountRunLogAsync()).Should().Be(logAfterDelete, "nor does a missing story");
    }

    [SkippableFact]
    public async Task SingleRowChanges_LogEntryFails_NeitherTheRowChangeNorTheEntryIsStored()
    {
        Fixture.SkipIfUnavailable();
        var (story, card) = await SeedAsync();
        var other = TestData.Story(story.RunId, 1, StoryStatus.Ready);
        await Db.Stories.AddRangeAsync([other]);
        var claim = (await Db.Claims.ClaimAsync(story.RunId, "w1", 1, Lease)).Single();
        claim.StoryId.Should().Be(story.Id, "the claim takes position 0");
        var log = await CountRunLogAsync();
        var before = (await Db.Stories.GetAsync(story.Id))!;
        var (reject, restore) = Fixture.RejectRunLogInsertsSql(Db.Provider.Tables.RunLog, Db.Provider.Tables.Prefix);
        await ExecuteAsync(reject);
        try
        {
            await FluentActions.Awaiting(() => Db.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1)).Should().ThrowAsync<DbException>();
            await FluentActions.Awaiting(() => Db.Stories.UpdateStatusAsync(other.Id, StoryStatus.Failed, 1)).Should().ThrowAsync<DbException>();
            await FluentActions.Awaiting(() => Db.Claims.RenewAsync(claim, Lease)).Should().ThrowAsync<DbException>();
            await FluentActions.Awaiting(() => Db.Claims.CompleteAsync(claim, StoryStatus.Completed)).Should().ThrowAsync<DbException>();
            await FluentActions.Awaiting(() => Db.Claims.ReleaseAsync(claim)).Should().ThrowAsync<DbException>();
        }
        finally
        {
            await ExecuteAsync(restore);
        }

        (await Db.Cards.GetAsync(card.Id))!.Should().BeEquivalentTo(new { Status = CardStatus.Pending, Version = 1 });
        (await Db.Stories.GetAsync(story.Id))!.Should().BeEquivalentTo(before, "no lease transition was stored");
        (await Db.Stories.GetAsync(other.Id))!.Should().BeEquivalentTo(new { Status = StoryStatus.Ready, Version = 1 });
        (await CountRunLogAsync()).Should().Be(log);
        // And the claim still works once the log accepts entries again.
        (await Db.Claims.CompleteAsync(claim, StoryStatus.Completed)).Should().Be(claim.Version + 1);
    }

    [SkippableFact]
    public async Task SingleRowChanges_InSession_CommitKeepsAndRollbackDropsChangesAndEntries()
    {
        Fixture.SkipIfUnavailable();
        var (story, card) = await SeedAsync();
        var log = await CountRunLogAsync();

        await using (var session = await Db.BeginSessionAsync())
        {
            await session.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1);
            await session.Stories.UpdateStatusAsync(story.Id, StoryStatus.Failed, 1);
        }

        (await Db.Cards.GetAsync(card.Id))!.Version.Should().Be(1, "the session was rolled back");
        (await CountRunLogAsync()).Should().Be(log);

        var claim = (await Db.Claims.ClaimAsync(story.RunId, "w1", 1, Lease)).Single();
        await using (var session = await Db.BeginSessionAsync())
        {
            await session.Cards.UpdateStatusAsync(card.Id, CardStatus.Completed, 1);
            // A lost lease inside the session leaves the session usable.
            await FluentActions.Awaiting(() => session.Claims.ReleaseAsync(claim with { Story = Copy(claim.Story, claim.Version + 7) }))
                .Should().ThrowAsync<LeaseLostException>();
            var renewed = await session.Claims.RenewAsync(claim, Lease);
            (await session.Claims.CompleteAsync(renewed, StoryStatus.Completed)).Should().Be(claim.Version + 2);
            await session.CommitAsync();
        }

        (await Db.Cards.GetAsync(card.Id))!.Should().BeEquivalentTo(new { Status = CardStatus.Completed, Version = 2 });
        (await Db.Stories.GetAsync(story.Id))!.Status.Should().Be(StoryStatus.Completed);
        (await ChangesOfRunAsync(story.RunId)).Select(e => e.Kind).Should().Equal(
            RunEventKinds.CardStatusChanged, RunEventKinds.LeaseRenewed, RunEventKinds.StoryCompleted);
    }

    [SkippableFact]
    public async Task SingleRowChanges_JoinedTransactionOrConnection_RunThereAndFollowTheCaller()
    {
        Fixture.SkipIfUnavailable();
        var (story, card) = await SeedAsync();
        var log = await CountRunLogAsync();

        await using (var connection = await Fixture.OpenConnectionAsync())
        {
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                var joined = Db.Join(connection, transaction);
                (await joined.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1)).Should().Be(2);
                (await joined.Stories.UpdateStatusAsync(story.Id, StoryStatus.Failed, 1)).Should().Be(2);
                await transaction.RollbackAsync();
            }

            (await Db.Cards.GetAsync(card.Id))!.Version.Should().Be(1, "the caller rolled back");
            (await CountRunLogAsync()).Should().Be(log);

            // Without a transaction: each call is atomic by itself and stays.
            var alone = Db.Join(connection);
            (await alone.Cards.UpdateStatusAsync(card.Id, CardStatus.InProgress, 1)).Should().Be(2);
            await FluentActions.Awaiting(() => alone.Cards.UpdateStatusAsync(card.Id, CardStatus.Completed, 1)).Should().ThrowAsync<ConcurrencyConflictException>();
        }

        (await Db.Cards.GetAsync(card.Id))!.Should().BeEquivalentTo(new { Status = CardStatus.InProgress, Version = 2 });
        (await ChangesOfRunAsync(story.RunId)).Should().ContainSingle().Which.Kind.Should().Be(RunEventKinds.CardStatusChanged);
    }

    private async Task<(Story Story, Card Card)> SeedAsync()
    {
        var story = TestData.Story(TestData.NewRunId(), 0, StoryStatus.Ready);
        var card = TestData.Card(story, 0);
        await Db.WriteCycleAsync([story], [card]);
        return (story, card);
    }

    /// <summary>The run's log without the entries of writing and claiming.</summary>
    private async Task<List<RunEvent>> ChangesOfRunAsync(Guid runId) =>
        (await LogOfRunAsync(runId)).Where(e => e.Kind is not (RunEventKinds.CycleWritten or RunEventKinds.StoryClaimed)).ToList();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await Fixture.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static Story Copy(Story s, int version) => new()
    {
        Id = s.Id, RunId = s.RunId, Position = s.Position, Title = s.Title, Body = s.Body, Status = s.Status, Version = version,
        CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt, Metadata = s.Metadata, ClaimedBy = s.ClaimedBy, LeaseExpiresAt = s.LeaseExpiresAt,
    };
}
