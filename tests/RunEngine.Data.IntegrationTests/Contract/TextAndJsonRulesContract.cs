using RunEngine.Data.IntegrationTests.Infrastructure;
using RunEngine.Data.Repositories;

namespace RunEngine.Data.IntegrationTests.Contract;

/// <summary>
/// One text rule and one JSON rule on every provider (issue 9, items 1, 3, 5 and 6): a lone surrogate, a NUL or an
/// over-long value is rejected before anything is sent, with the entity, position, field and UTF-16 index for rows and
/// an <see cref="ArgumentException"/> naming the parameter for call arguments; JSON is accepted exactly when
/// PostgreSQL's jsonb accepts it; and nothing is silently altered or truncated. Every rejection leaves the row counts
/// of all three tables unchanged.
/// </summary>
public abstract class TextAndJsonRulesContract<TFixture> : ContractTestBase<TFixture>
    where TFixture : ProviderFixture
{
    private const string Emoji = "\U0001F600";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected TextAndJsonRulesContract(TFixture fixture)
        : base(fixture)
    {
    }

    [SkippableTheory]
    [MemberData(nameof(TextAndJsonRulesCases.StoryFieldsAndPlacements), MemberType = typeof(TextAndJsonRulesCases))]
    public async Task AddRangeAsync_StoryFieldWithLoneSurrogate_RejectsNamingFieldAndIndex(string field, string placement)
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 4).ToList();
        var (value, index) = Broken(placement, json: field == "Metadata");
        _ = field switch
        {
            "Title" => stories[2].Title = value,
            "Body" => stories[2].Body = value,
            "Metadata" => stories[2].Metadata = value,
            _ => stories[2].ClaimedBy = value,
        };

        var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

        error.Entity.Should().Be("Story");
        error.Position.Should().Be(2);
        error.Field.Should().Be(field);
        error.Reason.Should().Contain($"unpaired UTF-16 {Half(placement)} surrogate at UTF-16 index {index}");
    }

    [SkippableTheory]
    [MemberData(nameof(TextAndJsonRulesCases.CardFieldsAndPlacements), MemberType = typeof(TextAndJsonRulesCases))]
    public async Task WriteCycleAsync_CardFieldWithLoneSurrogate_RejectsNamingFieldAndIndex(string field, string placement)
    {
        Fixture.SkipIfUnavailable();
        var stories = TestData.Stories(TestData.NewRunId(), 2).ToList();
        var cards = TestData.Cards(stories, 2);
        var (value, index) = Broken(placement, json: field == "Metadata");
        _ = field switch
        {
            "Title" => cards[1].Title = value,
            "Description" => cards[1].Description = value,
            _ => cards[1].Metadata = value,
        };

        var error = await RejectedAsync(() => Db.WriteCycleAsync(stories, cards));

        error.Entity.Should().Be("Card");
        error.Position.Should().Be(1);
        error.Field.Should().Be(field);
        error.Reason.Should().Contain($"unpaired UTF-16 {Half(placement)} surrogate at UTF-16 index {index}");
    }

    [SkippableTheory]
    [MemberData(nameof(TextAndJsonRulesCases.EventFieldsAndPlacements), MemberType = typeof(TextAndJsonRulesCases))]
    public async Task AppendAsync_EventFieldWithLoneSurrogate_RejectsNamingFieldAndIndex(string field, string placement)
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var events = Enumerable.Range(0, 5).Select(_ => TestData.Event(runId)).ToList();
        var (value, index) = Broken(placement, json: false);
        _ = field switch
        {
            "Kind" => events[3].Kind = value,
            "Message" => events[3].Message = value,
            _ => events[3].Worker = value,
        };

        var error = await RejectedAsync(() => Db.RunLog.AppendAsync(events));

        error.Entity.Should().Be("RunEvent");
        error.Position.Should().Be(3);
        error.Field.Should().Be(field);
        error.Reason.Should().Contain($"unpaired UTF-16 {Half(placement)} surrogate at UTF-16 index {index}");
    }

    [SkippableFact]
    public async Task WriteCycleAsync_SurrogatePairsInEveryTextField_ReadBackExactly()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        var story = TestData.Story(runId, 0);
        story.Title = $"{Emoji} title {Emoji}";
        story.Body = $"{Emoji}body{Emoji}";
        story.ClaimedBy = $"worker {Emoji}";
        // jsonb's own output form, so that every provider returns the same text.
        story.Metadata = $$"""{"e": "{{Emoji}}", "n": [1, 2]}""";
        var card = TestData.Card(story, 0);
        card.Title = Emoji;
        card.Description = new string('d', 10) + Emoji;
        card.Metadata = $"[\"{Emoji}\"]";
        var entry = TestData.Event(runId);
        entry.Kind = $"kind.{Emoji}";
        entry.Message = Emoji + new string('m', RunEngineLimits.EventMessageMaxLength - 4) + Emoji;
        entry.Worker = new string('w', RunEngineLimits.WorkerIdMaxLength - 2) + Emoji;

        await Db.WriteCycleAsync([story], [card]);
        await Db.RunLog.AppendAsync([entry]);

        var storedStory = (await StoriesOfRunAsync(runId)).Single();
        (storedStory.Title, storedStory.Body, storedStory.ClaimedBy, storedStory.Metadata).Should().Be((story.Title, story.Body, story.ClaimedBy, story.Metadata));
        var storedCard = (await CardsOfRunAsync(runId)).Single();
        (storedCard.Title, storedCard.Description, storedCard.Metadata).Should().Be((card.Title, card.Description, card.Metadata));
        var storedEntry = (await LogOfRunAsync(runId)).Single(e => e.Id == entry.Id);
        (storedEntry.Kind, storedEntry.Message, storedEntry.Worker).Should().Be((entry.Kind, entry.Message, entry.Worker));
    }

    [SkippableTheory]
    [MemberData(nameof(TextAndJsonRulesCases.JsonbRejected), MemberType = typeof(TextAndJsonRulesCases))]
    public async Task WriteCycleAsync_JsonThatJsonbRejects_IsRejectedOnEveryProvider(string document)
    {
        Fixture.SkipIfUnavailable();
        var (json, what, at) = document switch
        {
            "nul escape" => ("{\"a\":\"\\u0000\"}", "a \\u0000 escape", 6),
            "lone surrogate escape" => ("{\"a\":\"\\ud800\"}", "a high-surrogate \\u escape", 6),
            _ => ("{\"n\":1e1000000}", "a number with more than 131,072 digits before the decimal point", 5),
        };
        var stories = TestData.Stories(TestData.NewRunId(), 3).ToList();
        var cards = TestData.Cards(stories, 1);
        cards[2].Metadata = json;

        var storyError = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories.Select((s, i) => { s.Metadata = i == 1 ? json : null; return s; })));
        var cardError = await RejectedAsync(() => Db.WriteCycleAsync(stories.Select(s => { s.Metadata = null; return s; }), cards));

        storyError.Position.Should().Be(1);
        storyError.Field.Should().Be("Metadata");
        storyError.Reason.Should().StartWith($"is not a valid JSON document: {what}").And.Contain($"at line 1, byte {at} of the line");
        cardError.Entity.Should().Be("Card");
        cardError.Position.Should().Be(2);
        cardError.Field.Should().Be("Metadata");
    }

    [SkippableFact]
    public async Task WriteCycleAsync_JsonAtTheEdgesJsonbAccepts_IsStoredOnEveryProvider()
    {
        Fixture.SkipIfUnavailable();
        var runId = TestData.NewRunId();
        string[] documents =
        [
            "1e131071", "1e-16383", "0e1073741822", "{\"a\":1,\"a\":2}", "\"\\ud83d\\ude00\\\\u0000\"",
            new string('[', 64) + new string(']', 64), "-0.0e0",
        ];
        var stories = documents.Select((d, i) => { var s = TestData.Story(runId, i); s.Metadata = d; return s; }).ToList();

        var result = await Db.WriteCycleAsync(stories, []);

        result.Stories.Should().Be(documents.Length);
        (await StoriesOfRunAsync(runId)).Should().OnlyContain(s => s.Metadata != null);
    }

    [SkippableFact]
    public async Task AddRangeAsync_InvalidJsonWithSecretLikeToken_NeverPutsTheValueInTheMessage()
    {
        Fixture.SkipIfUnavailable();
        foreach (var json in new[] { "[tokenSECRET]", "{\"tokenSECRET\" 1}", "{\"k\":\"tokenSECRET\\u0000\"}", "\"tokenSECRET\\q\"" })
        {
            var stories = TestData.Stories(TestData.NewRunId(), 2).ToList();
            stories[1].Metadata = json;

            var error = await RejectedAsync(() => Db.Stories.AddRangeAsync(stories));

            error.Message.Should().NotContain("SECRET").And.NotContain("token");
            error.Message.Should().Contain("Metadata is not a valid JSON document").And.Contain("at line 1, byte");
        }
    }

    [SkippableTheory]
    [InlineData("nul")]
    [InlineData("high surrogate")]
    [InlineData("low surrogate")]
    public async Task ClaimAsync_WorkerIdBreakingTheTextRule_ThrowsNamingWorkerIdAndChangesNothing(string problem)
    {
        Fixture.SkipIfUnavailable();
        var stories = await SeedStoriesAsync(StoryStatus.Ready, StoryStatus.Ready);
        var workerId = problem switch { "nul" => "w\0x", "high surrogate" => "a\uD800", _ => "\uDC00a" };
        var logBefore = await CountRunLogAsync();

        var error = (await FluentActions.Awaiting(() => Db.Claims.ClaimAsync(stories[0].RunId, workerId, 2, Lease))
            .Should().ThrowAsync<ArgumentException>().WithParameterName("workerId")).Which;

        error.Message.Should().Contain("UTF-16 index").And.NotContain("RunEvent").And.NotContain("position");
        (await StoriesOfRunAsync(stories[0].RunId)).Should().OnlyContain(s => s.Status == StoryStatus.Ready && s.Version == 1 && s.ClaimedBy == null);
        (await CountRunLogAsync()).Should().Be(logBefore);
    }

    [SkippableTheory]
    [InlineData("nul")]
    [InlineData("lone surrogate")]
    [InlineData("one over the maximum")]
    [InlineData("issue 9 repro")]
    public async Task CompleteAsync_MessageBreakingTheTextRule_ThrowsNamingMessageAndLeavesTheStoryInProgress(string problem)
    {
        Fixture.SkipIfUnavailable();
        var max = ClaimArguments.CompletionMessageMaxLength;
        var message = problem switch
        {
            "nul" => "done\0!",
            "lone surrogate" => "done\uD800!",
            "one over the maximum" => new string('m', max + 1),
            _ => new string('m', 3988) + Emoji + "tail",
        };
        var (claim, logBefore) = await ClaimOneAsync();

        var error = (await FluentActions.Awaiting(() => Db.Claims.CompleteAsync(claim, StoryStatus.Completed, message))
            .Should().ThrowAsync<ArgumentException>().WithParameterName("message")).Which;

        if (problem is "one over the maximum" or "issue 9 repro")
        {
            error.Should().BeOfType<ArgumentOutOfRangeException>();
            error.Message.Should().Contain("at most 3989 are allowed").And.Contain("UTF-16 code units");
        }

        await ShouldBeUnchangedAsync(claim, logBefore);
    }

    [SkippableTheory]
    [InlineData(StoryStatus.Completed)]
    [InlineData(StoryStatus.Failed)]
    [InlineData(StoryStatus.Cancelled)]
    public async Task CompleteAsync_MessageOfExactlyTheMaximum_IsStoredWhole(StoryStatus result)
    {
        Fixture.SkipIfUnavailable();
        ClaimArguments.CompletionMessageMaxLength.Should().Be(3989, "docs/providers.md states it");
        var plain = new string('m', ClaimArguments.CompletionMessageMaxLength);
        var endingInEmoji = new string('n', ClaimArguments.CompletionMessageMaxLength - 2) + Emoji;

        foreach (var message in new[] { plain, endingInEmoji })
        {
            var (claim, _) = await ClaimOneAsync();

            await Db.Claims.CompleteAsync(claim, result, message);

            var entry = (await LogOfRunAsync(claim.Story.RunId)).Last();
            entry.Kind.Should().Be(RunEventKinds.StoryCompleted);
            entry.Message.Should().Be($"{result}: {message}");
        }
    }

    [SkippableTheory]
    [InlineData("renew")]
    [InlineData("complete")]
    [InlineData("release")]
    public async Task TransitionAsync_ClaimBuiltWithABrokenWorkerId_ThrowsNamingClaimAndChangesNothing(string operation)
    {
        Fixture.SkipIfUnavailable();
        var (claim, logBefore) = await ClaimOneAsync();

        foreach (var workerId in new[] { "w\0x", "a\uD800", new string('w', RunEngineLimits.WorkerIdMaxLength + 1), " " })
        {
            var forged = claim with { WorkerId = workerId };
            Func<Task> act = operation switch
            {
                "renew" => () => Db.Claims.RenewAsync(forged, Lease),
                "complete" => () => Db.Claims.CompleteAsync(forged, StoryStatus.Completed),
                _ => () => Db.Claims.ReleaseAsync(forged),
            };

            await act.Should().ThrowAsync<ArgumentException>().WithParameterName("claim").WithMessage("claim.WorkerId *");
        }

        await ShouldBeUnchangedAsync(claim, logBefore);
    }

    /// <summary>A value with a lone surrogate placed as named, and the surrogate's UTF-16 index.</summary>
    private static (string Value, int Index) Broken(string placement, bool json)
    {
        var text = placement switch
        {
            "high at start" => "\uD800abc",
            "low at start" => "\uDE00abc",
            "high at end" => "abc\uD83D",
            _ => "abc\uDC00",
        };
        var index = placement.EndsWith("start", StringComparison.Ordinal) ? 0 : 3;
        return json ? ($"\"{text}\"", index + 1) : (text, index);
    }

    private static string Half(string placement) => placement.StartsWith("high", StringComparison.Ordinal) ? "high" : "low";

    private async Task<(StoryClaim Claim, long LogBefore)> ClaimOneAsync()
    {
        var stories = await SeedStoriesAsync(StoryStatus.Ready);
        var claim = (await Db.Claims.ClaimAsync(stories[0].RunId, "worker-a", 1, Lease)).Single();
        return (claim, await CountRunLogAsync());
    }

    /// <summary>The story is still InProgress under the claim's version and worker, and no run-log entry was added.</summary>
    private async Task ShouldBeUnchangedAsync(StoryClaim claim, long logBefore)
    {
        var stored = await Db.Stories.GetAsync(claim.StoryId);
        stored!.Status.Should().Be(StoryStatus.InProgress);
        stored.Version.Should().Be(claim.Version);
        stored.ClaimedBy.Should().Be(claim.WorkerId);
        (await CountRunLogAsync()).Should().Be(logBefore);
    }

    /// <summary>Runs <paramref name="act"/>, expects a <see cref="BatchValidationException"/> and checks all three tables kept their row counts.</summary>
    private async Task<BatchValidationException> RejectedAsync(Func<Task> act)
    {
        var (stories, cards, events) = (await CountStoriesAsync(), await CountCardsAsync(), await CountRunLogAsync());

        var error = (await act.Should().ThrowAsync<BatchValidationException>()).Which;

        (await CountStoriesAsync()).Should().Be(stories, "a rejected batch leaves no story behind");
        (await CountCardsAsync()).Should().Be(cards, "a rejected batch leaves no card behind");
        (await CountRunLogAsync()).Should().Be(events, "a rejected batch leaves no run-log entry behind");
        error.Message.Should().Contain("Nothing of the batch was written");
        return error;
    }
}
