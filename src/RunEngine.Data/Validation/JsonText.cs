using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RunEngine.Data.Validation;

/// <summary>Checks that a string is one well-formed JSON document without building a DOM.</summary>
internal static class JsonText
{
    /// <summary>Returns null when <paramref name="json"/> is valid JSON, otherwise a short description of the first error.</summary>
    public static string? FindError(string json)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, buffer);
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read())
            {
                return "empty document";
            }

            reader.Skip();
            return reader.Read() ? "more than one JSON value" : null;
        }
        catch (JsonException ex)
        {
            // The reader's message names the line and byte position, never the content itself.
            return ex.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
