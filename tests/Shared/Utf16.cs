namespace RunEngine.Data.Testing;

/// <summary>Finds ASCII text in UTF-16LE bytes at any offset (TDS statement texts inside SQL batches and RPC parameters).</summary>
internal static class Utf16
{
    /// <summary>Whether <paramref name="text"/> occurs in <paramref name="bytes"/>, ignoring ASCII case.</summary>
    public static bool Contains(ReadOnlySpan<byte> bytes, string text) => IndexOf(bytes, text, 0, wholeWord: false) >= 0;

    /// <summary>Whether <paramref name="word"/> occurs as a whole word (no letter, digit or underscore around it), ignoring ASCII case.</summary>
    public static bool ContainsWord(ReadOnlySpan<byte> bytes, string word) => IndexOf(bytes, word, 0, wholeWord: true) >= 0;

    private static int IndexOf(ReadOnlySpan<byte> bytes, string text, int from, bool wholeWord)
    {
        for (var i = from; i + (2 * text.Length) <= bytes.Length; i++)
        {
            if (Matches(bytes, i, text) && (!wholeWord || (!IsWordChar(bytes, i - 2) && !IsWordChar(bytes, i + (2 * text.Length)))))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Matches(ReadOnlySpan<byte> bytes, int at, string text)
    {
        for (var k = 0; k < text.Length; k++)
        {
            if (bytes[at + (2 * k) + 1] != 0 || char.ToUpperInvariant((char)bytes[at + (2 * k)]) != char.ToUpperInvariant(text[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWordChar(ReadOnlySpan<byte> bytes, int at) =>
        at >= 0 && at + 1 < bytes.Length && bytes[at + 1] == 0 && (char.IsLetterOrDigit((char)bytes[at]) || bytes[at] == '_');
}
