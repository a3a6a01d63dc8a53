using RunEngine.Data.IntegrationTests.Infrastructure;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// <see cref="IStoryClaims.CompleteAsync"/> rejects an undefined result with an error that says so (not "other than
/// InProgress" for a value that is not InProgress), changes nothing, and the claim can still be completed.
/// </summary>
public abstract class CompletionResultContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    protected CompletionResultContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableTheory]
    [InlineData((short)99)]
    [InlineData((short)-1)]
    [InlineData((short)2)]
    public async Task CompleteAsync_UndefinedOrInProgressResult_ArgumentErrorSayingDefinedAndNothingChanges(short value)
    {
        Fixture.SkipIfUnavailable();
        var story = (await SeedStoriesAsync(StoryStatus.Ready))[0];
        var claim = (await Db.Claims.ClaimAsync(story.RunId, "worker-1", 1, TimeSpan.FromMinutes(5))).Single();
        var log = await CountRunLogAsync();

        var error = (await FluentActions.Awaiting(() => Db.Claims.CompleteAsync(claim, (StoryStatus)value, "done"))
            .Should().ThrowAsync<ArgumentOutOfRangeException>()).Which;

        error.ParamName.Should().Be("result");
        error.Message.Should().Contain("defined StoryStatus").And.Contain("other than InProgress");
        (await CountRunLogAsync()).Should().Be(log);
        (await Db.Stories.GetAsync(story.Id))!.Status.Should().Be(StoryStatus.InProgress);
        (await Db.Claims.CompleteAsync(claim, StoryStatus.Completed, "done")).Should().Be(claim.Version + 1);
    }
}
