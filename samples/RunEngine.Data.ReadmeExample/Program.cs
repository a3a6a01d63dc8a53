using RunEngine.Data;
using RunEngine.Data.Sqlite;

await using var db = SqliteDatabase.Create("Data Source=readme-example.db");
await db.EnsureSchemaAsync();                                  // creates or upgrades the tables; safe on every start

var runId = db.NewId();                                        // time-sortable ids, made on the client
var story = new Story { Id = db.NewId(), RunId = runId, Position = 0, Title = "Checkout page" };
var cards = Enumerable.Range(0, 3).Select(i => new Card
{
    Id = db.NewId(), RunId = runId, StoryId = story.Id, Position = i, Title = $"Step {i + 1}",
});

var written = await db.WriteCycleAsync([story], cards);        // one transaction, one bulk insert per table
Console.WriteLine($"{written.Stories} story and {written.Cards} cards written");

await foreach (var card in db.Cards.GetByRunAsync(runId))      // streamed, in story then card order
    Console.WriteLine($"{card.Title}: {card.Status}, version {card.Version}");
