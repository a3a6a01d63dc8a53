namespace RunEngine.Data.WorkerService;

/// <summary>Logs the run's progress (one query) every half second, and keeps the last snapshot for the final summary.</summary>
public sealed class ProgressReporter(RunEngineDatabase database, RunState state, IHostApplicationLifetime lifetime, ILogger<ProgressReporter> logger) : BackgroundService
{
    /// <summary>The progress read when the host stopped.</summary>
    public RunProgress? Final { get; private set; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (state.RunId.IsCompletedSuccessfully && state.Failure is null)
        {
            // The database is still open here: the container disposes it after every hosted service has stopped.
            Final = await database.GetRunProgressAsync(state.RunId.Result, CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runId = await state.RunId.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var progress = await database.GetRunProgressAsync(runId, stoppingToken);
                SampleLog.Progress(
                    logger,
                    progress.Stories[StoryStatus.Ready],
                    progress.Stories[StoryStatus.InProgress],
                    progress.Stories[StoryStatus.Completed],
                    progress.Stories[StoryStatus.Failed]);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            state.Fail(ex);
            lifetime.StopApplication();
        }
    }
}
