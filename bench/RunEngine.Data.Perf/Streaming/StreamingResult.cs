namespace RunEngine.Data.Perf.Streaming;

/// <summary>The streaming check's figures for one database.</summary>
internal sealed record StreamingResult(
    string Database,
    int Cards,
    int Stories,
    double Seconds,
    long BaselineBytes,
    long PeakInUseBytes,
    long PeakAfterGcBytes,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen2Collections,
    long PeakWorkingSetBytes,
    long Samples)
{
    public const long TargetBytes = 100L * 1024 * 1024;

    public bool Met => PeakInUseBytes < TargetBytes;
}
