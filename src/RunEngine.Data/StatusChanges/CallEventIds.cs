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
