using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RunEngine.Data.PostgreSql.Schema;

/// <summary>
/// Derives the 64-bit advisory lock key of a schema and table prefix. It must be equal in every process that migrates
/// the same tables, so it comes from SHA-256 rather than <see cref="string.GetHashCode()"/>, which is randomized per process.
/// </summary>
internal static class SchemaLockKey
{
    public static long For(string schema, string prefix)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"RunEngine.Data/schema/{schema}/{prefix}"));
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }
}
