using RunEngine.Data.Providers;
using RunEngine.Data.StatusChanges;

namespace RunEngine.Data.Repositories;

/// <summary>The stores of one database, shared by every scope (pooled or joined) that builds repositories over them.</summary>
internal sealed class RepositorySet
{
    public RepositorySet(DatabaseProvider provider)
    {
        Provider = provider;
        Stories = new EntityStore<Story>(
            provider,
            provider.Stories,
            statusEvent: new StatusEventTemplate(provider.Runs.StoryStatusEvent, RunEventKinds.StoryStatusChanged, s => ((StoryStatus)s).ToString(), provider.SingleRow?.StoryStatus)
            {
                InRun = new RunScopedStatusTexts(
                    provider.RunScopedStatus.StoryUpdateStatus, provider.RunScopedStatus.StoryStatusEvent, provider.RunScopedStatus.StoryStatusOneStatement, provider.RunScopedStatus.StorySelectVersion),
            });
        Cards = new EntityStore<Card>(
            provider,
            provider.Cards,
            provider.Stories,
            new StatusEventTemplate(provider.Runs.CardStatusEvent, RunEventKinds.CardStatusChanged, s => ((CardStatus)s).ToString(), provider.SingleRow?.CardStatus)
            {
                InRun = new RunScopedStatusTexts(
                    provider.RunScopedStatus.CardUpdateStatus, provider.RunScopedStatus.CardStatusEvent, provider.RunScopedStatus.CardStatusOneStatement, provider.RunScopedStatus.CardSelectVersion),
            });
        Events = new EntityStore<RunEvent>(provider, provider.RunLog);
        StoryStatusChanges = new StatusChangeStore(provider, new StatusChangeTable(provider.Stories, null, RunEventKinds.StoryStatusChanged));
        CardStatusChanges = new StatusChangeStore(provider, new StatusChangeTable(null, provider.Cards, RunEventKinds.CardStatusChanged));
        StoryStatusByRun = new StatusByParentStore(provider, new StatusChangeTable(provider.Stories, null, RunEventKinds.StoryStatusChanged));
        CardStatusByStory = new StatusByParentStore(
            provider, new StatusChangeTable(null, provider.Cards, RunEventKinds.CardStatusChanged) { StoriesTable = provider.Tables.Stories });
        Cycles = new CycleWriter(provider, Stories, Cards, Events);
    }

    public DatabaseProvider Provider { get; }

    public EntityStore<Story> Stories { get; }

    public EntityStore<Card> Cards { get; }

    public EntityStore<RunEvent> Events { get; }

    public CycleWriter Cycles { get; }

    public StatusChangeStore StoryStatusChanges { get; }

    public StatusChangeStore CardStatusChanges { get; }

    public StatusByParentStore StoryStatusByRun { get; }

    public StatusByParentStore CardStatusByStory { get; }

    public IStoryRepository StoryRepository(IScopeFactory scopes) => new StoryRepository(scopes, Stories, Cards, Events, StoryStatusChanges, StoryStatusByRun);

    public ICardRepository CardRepository(IScopeFactory scopes) =>
        new CardRepository(scopes, Cards, Provider.CardsByStory, Provider.CardsByRun, CardStatusChanges, CardStatusByStory);

    public IStoryClaims Claims(IScopeFactory scopes) => new StoryClaims(scopes, Provider, Stories, Events);

    public IRunLog RunLog(IScopeFactory scopes) => new RunLogRepository(scopes, Events);

    public Task<RunProgress> ProgressAsync(IScopeFactory scopes, Guid runId, CancellationToken cancellationToken) =>
        RunProgressReader.ReadAsync(scopes, Provider, runId, cancellationToken);
}
