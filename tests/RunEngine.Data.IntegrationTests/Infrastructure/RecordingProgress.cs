namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>
/// Records progress reports synchronously, in order. (<see cref="Progress{T}"/> posts to the thread pool, so its
/// reports may arrive late and out of order.)
/// </summary>
public sealed class RecordingProgress : IProgress<long>
{
    private readonly List<long> _reports = [];

    /// <summary>The reported values, in the order they were reported.</summary>
    public IReadOnlyList<long> Reports
    {
        get
        {
            lock (_reports)
            {
                return _reports.ToArray();
            }
        }
    }

    /// <inheritdoc/>
    public void Report(long value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }
    }
}
