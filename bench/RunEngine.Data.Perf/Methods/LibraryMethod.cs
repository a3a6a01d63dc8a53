using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Methods;

/// <summary>RunEngine.Data exactly as a user calls it: <c>db.WriteCycleAsync(stories, cards)</c> over lazy generators.</summary>
internal sealed class LibraryMethod : IInsertMethod
{
    public string Name => "library";

    public bool RunsLargest => true;

    public bool UsesPrebuilt => false;

    public async Task RunAsync(BenchTarget target, CycleWorkload workload, PrebuiltRows? rows, CancellationToken cancellationToken)
    {
        var result = await target.Database.WriteCycleAsync(workload.StoryStream(), workload.CardStream(), cancellationToken: cancellationToken);
        if (result.Cards != workload.Cards)
        {
            throw new InvalidOperationException($"The library reported {result.Cards} cards written, expected {workload.Cards}.");
        }
    }
}
