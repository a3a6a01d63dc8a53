using RunEngine.Data.Providers;

namespace RunEngine.Data.Repositories;

/// <summary>The stores of one database, shared by every scope (pooled or joined) that builds repositories over them.</summary>
internal sealed class RepositorySet
{
    public RepositorySet(DatabaseProvider provider)
    {
        Provider = provider;
        Stories = new EntityStore<Story>(provider, provider.Stories);
        Cards = new EntityStore<Card>(provider, provider.Cards, provider.Stories);
        Cycles = new CycleWriter(Stories, Cards, provider.Options.TimeProvider);
    }

    public DatabaseProvider Provider { get; }

    public EntityStore<Story> Stories { get; }

    public EntityStore<Card> Cards { get; }

    public CycleWriter Cycles { get; }

    public IStoryRepository StoryRepository(IScopeFactory scopes) => new StoryRepository(scopes, Stories, Cards);

    public ICardRepository CardRepository(IScopeFactory scopes) =>
        new CardRepository(scopes, Cards, Provider.CardsByStory, Provider.CardsByRun);
}
