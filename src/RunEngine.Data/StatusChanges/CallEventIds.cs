using System.Buffers.Binary;

namespace RunEngine.Data.StatusChanges;

/// <summary>
/// The run-log entry ids of one set-based call, made from one time-ordered id per call and the change's position, so
/// that every attempt of the call (a repeat re-reads a materialized input) gives each change the same entry id, and
/// a repeat after an unknown commit outcome can look for exactly the entries its call wrote. Distinct positions give
/// distinct ids (the position is XOR-ed into the id's last five bytes, below its variant bits).
/// </summary>
internal static class CallEventIds
{
    /// <summary>The most positions that map to distinct ids: 2^40.</summary>
    public const long Capacity = 1L << 40;

    /// <summary>
    /// A time-ordered id whose last five bytes are zero: the base of a range of entry ids base + 1, base + 2, … that a
    /// statement writes for rows it does not know in advance (a change by parent); the range is contiguous where ids
    /// compare byte by byte (PostgreSQL's uuid order).
    /// </summary>
    public static Guid RangeBase(DateTimeOffset now) => Masked(Guid.CreateVersion7(now));

    /// <summary>The base's first eleven bytes as 22 hex digits (a range base's ids are these and ten more).</summary>
    public static string RangePrefix(Guid rangeBase) => rangeBase.ToString("N", System.Globalization.CultureInfo.InvariantCulture)[..22];

    /// <summary>The first and last ids of a range base's range (base + 1 … base + 2^40 - 1).</summary>
    public static (Guid Low, Guid High) Range(Guid rangeBase)
    {
        var prefix = RangePrefix(rangeBase);
        return (Guid.ParseExact(prefix + "0000000001", "N"), Guid.ParseExact(prefix + "ffffffffff", "N"));
    }

    private static Guid Masked(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        bytes[11..].Clear();
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The entry id of the change at <paramref name="position"/> of the call whose base id is <paramref name="callBase"/>.</summary>
    public static Guid At(Guid callBase, long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, Capacity);
        Span<byte> bytes = stackalloc byte[16];
        callBase.TryWriteBytes(bytes, bigEndian: true, out _);
        var low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], low ^ (ulong)position);
        return new Guid(bytes, bigEndian: true);
    }
}
