using System.Reflection;
using RunEngine.Data;
using RunEngine.Data.Sqlite;

// The versions of the packed libraries (MinVer version + commit), not of a project build.
foreach (var assembly in new[] { typeof(RunEngineDatabase).Assembly, typeof(SqliteDatabase).Assembly })
{
    var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
    Console.WriteLine($"{assembly.GetName().Name} {version}");
}

var path = Path.Combine(Path.GetTempPath(), $"runengine-package-consumer-{Guid.NewGuid():N}.db");
try
{
    await using (var db = SqliteDatabase.Create($"Data Source={path};Pooling=False"))
    {
        // The schema scripts are embedded resources of the provider package.
        var applied = await db.EnsureSchemaAsync();
        Console.WriteLine($"schema scripts applied: {applied}");

        var runId = db.NewId();
        var stories = Enumerable.Range(0, 3)
            .Select(s => new Story { Id = db.NewId(), RunId = runId, Position = s, Title = $"Story {s + 1}" })
            .ToList();
        var cards = stories.SelectMany(story => Enumerable.Range(0, 4).Select(c => new Card
        {
            Id = db.NewId(), RunId = runId, StoryId = story.Id, Position = c, Title = $"Card {c + 1}",
        })).ToList();

        var written = await db.WriteCycleAsync(stories, cards);
        var readBack = 0;
        await foreach (var _ in db.Cards.GetByRunAsync(runId))
            readBack++;
        Console.WriteLine($"written: {written.Stories} stories, {written.Cards} cards; read back: {readBack} cards");

        // Bad input gets the library's typed error and leaves the database unchanged.
        try
        {
            await db.WriteCycleAsync([new Story { Id = db.NewId(), RunId = runId, Position = 9, Title = new string('x', 401) }], []);
        }
        catch (BatchValidationException ex)
        {
            Console.WriteLine($"rejected as expected: {ex.GetType().Name}");
        }

        if (written.Stories != 3 || written.Cards != 12 || readBack != 12)
        {
            Console.Error.WriteLine("unexpected counts");
            return 1;
        }
    }
    Console.WriteLine("the packages work");
    return 0;
}
finally
{
    foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        File.Delete(file);
}
