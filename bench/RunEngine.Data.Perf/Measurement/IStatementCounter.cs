namespace RunEngine.Data.Perf.Measurement;

/// <summary>
/// Counts the statements a method sends, from the provider's own diagnostics (or the engine's trace hook on SQLite).
/// Counting runs only in an untimed pass: listeners allocate and cost time, and must not colour the timed runs.
/// </summary>
internal interface IStatementCounter : IDisposable
{
    /// <summary>Where the number comes from, printed next to it.</summary>
    string Source { get; }

    void Start();

    /// <summary>Stops counting and returns the number counted since <see cref="Start"/>.</summary>
    long Stop();
}
