namespace RunEngine.Data.Perf.Workload;

/// <summary>
/// Cheap, deterministic, sequential ids. The counter sits in the leading bytes (PostgreSQL and SQLite order uuids
/// bytewise) and the trailing bytes are constant per workload (SQL Server compares them first), so every provider
/// sees ascending keys, as with time-ordered UUID version 7 ids, without paying for a random generator per row.
/// Tables are recreated between repetitions, so the same ids can be written again.
/// </summary>
internal static class BenchIds
{
    private const ushort StoryKind = 1;
    private const ushort CardKind = 2;

    // Version 7 nibble in the third group, RFC 4122 variant in byte 8.
    private const ushort Version = 0x7000;

    public static Guid Run(int run) => new(0x7FFF_FFFF, 0, Version, 0x80, (byte)run, 0, 0, 0, 0, 0, 1);


    /// <summary>Story <paramref name="index"/> of workload <paramref name="run"/> (0-255; warm-up runs use their own ids).</summary>
    public static Guid Story(int index, int run) => Make(index, StoryKind, run);

    public static Guid Card(int index, int run) => Make(index, CardKind, run);

    private static Guid Make(int index, ushort kind, int run) => new((uint)index, kind, Version, 0x80, (byte)run, 0, 0, 0, 0, 0, 7);
}
