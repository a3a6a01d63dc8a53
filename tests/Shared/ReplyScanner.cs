using System.Buffers.Binary;

namespace RunEngine.Data.Testing;

/// <summary>
/// Follows the server's byte stream message by message (PostgreSQL: a type byte and a length, one-byte answers to SSL
/// and GSS requests; TDS: 8-byte packet headers, 5-byte TLS record headers during the login), so a
/// <see cref="FaultProxy"/> knows when the server's whole reply to a request has arrived: PostgreSQL's ReadyForQuery,
/// TDS's last packet of a response (status EOM).
/// </summary>
internal sealed class ReplyScanner(WireProtocol protocol)
{
    private readonly byte[] _header = new byte[8];
    private int _headerFill;
    private int _headerSize;
    private long _remaining;
    private bool _replyEnds;
    private int _singleByteAnswers;

    /// <summary>The client sent an SSL or GSS encryption request: the server answers it with one byte.</summary>
    public void ExpectSingleByteAnswer() => Interlocked.Increment(ref _singleByteAnswers);

    /// <summary>Reads <paramref name="bytes"/> and returns whether a reply ended in them.</summary>
    public bool Scan(ReadOnlySpan<byte> bytes)
    {
        var ended = false;
        var i = 0;
        while (i < bytes.Length)
        {
            if (_remaining > 0)
            {
                var take = (int)Math.Min(_remaining, bytes.Length - i);
                _remaining -= take;
                i += take;
                if (_remaining == 0)
                {
                    ended |= _replyEnds;
                }

                continue;
            }

            if (_headerFill == 0)
            {
                if (protocol == WireProtocol.PostgreSql && Volatile.Read(ref _singleByteAnswers) > 0)
                {
                    Interlocked.Decrement(ref _singleByteAnswers);
                    i++;
                    continue;
                }

                // TLS record types are 0x14-0x17; no TDS packet type is.
                _headerSize = protocol == WireProtocol.PostgreSql ? 5 : bytes[i] is >= 0x14 and <= 0x17 ? 5 : 8;
            }

            _header[_headerFill++] = bytes[i++];
            if (_headerFill < _headerSize)
            {
                continue;
            }

            _headerFill = 0;
            (_remaining, _replyEnds) = protocol switch
            {
                WireProtocol.PostgreSql => (BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(1)) - 4L, _header[0] == (byte)'Z'),
                _ when _headerSize == 5 => (BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(3)), false),
                _ => (BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)) - 8L, (_header[1] & 0x01) != 0),
            };
            if (_remaining == 0)
            {
                ended |= _replyEnds;
            }
        }

        return ended;
    }
}
