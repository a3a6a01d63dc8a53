namespace RunEngine.Data.Validation;

/// <summary>
/// The one rule for every string the library sends, row fields and call arguments alike: well-formed UTF-16 (no
/// unpaired surrogate, which SQLite and SQL Server would store as U+FFFD and PostgreSQL's encoder rejects), no NUL
/// (which PostgreSQL and SQL Server text cannot hold), and at most a limit counted in UTF-16 code units
/// (<see cref="string.Length"/>, the unit of <c>nvarchar(n)</c>; PostgreSQL's <c>varchar(n)</c> counts code points,
/// which are never more).
/// </summary>
internal static class TextRule
{
    private const char FirstSurrogate = '\uD800';
    private const char LastSurrogate = '\uDFFF';
    private const char LastHighSurrogate = '\uDBFF';

    /// <summary>
    /// Returns the first problem of <paramref name="value"/>: too long (checked first, it costs nothing), else the
    /// lowest UTF-16 index holding a NUL or an unpaired surrogate. Allocates nothing; the searches are vectorised.
    /// </summary>
    /// <param name="value">The string to check (not null).</param>
    /// <param name="maxLength">The limit in UTF-16 code units; null when unbounded.</param>
    public static TextFault Check(string value, int? maxLength = null)
    {
        if (maxLength is { } max && value.Length > max)
        {
            return new TextFault(TextProblem.TooLong, -1, value.Length, max);
        }

        var span = value.AsSpan();
        // One vectorised pass settles nearly all text (ASCII, Latin, CJK, Hangul: all below U+D800). Only text with a
        // NUL, a surrogate or a character from U+E000 up (private use, fullwidth forms, U+FFFD) looks further.
        var first = span.IndexOfAnyExceptInRange('\u0001', (char)(FirstSurrogate - 1));
        if (first < 0)
        {
            return TextFault.None;
        }

        var nul = span[first..].IndexOf('\0');
        nul = nul < 0 ? -1 : first + nul;
        // Only the part before the first NUL can hold an earlier problem.
        var searched = nul < 0 ? span : span[..nul];
        var offset = first;
        while (offset < searched.Length)
        {
            var found = searched[offset..].IndexOfAnyInRange(FirstSurrogate, LastSurrogate);
            if (found < 0)
            {
                break;
            }

            var index = offset + found;
            var c = searched[index];
            if (c > LastHighSurrogate)
            {
                return new TextFault(TextProblem.UnpairedLowSurrogate, index, value.Length, maxLength ?? -1);
            }

            // The low half is looked for in the whole string: a pair never straddles a NUL, but the bound does.
            if (index + 1 >= span.Length || !char.IsLowSurrogate(span[index + 1]))
            {
                return new TextFault(TextProblem.UnpairedHighSurrogate, index, value.Length, maxLength ?? -1);
            }

            offset = index + 2;
        }

        return nul < 0 ? TextFault.None : new TextFault(TextProblem.Nul, nul, value.Length, maxLength ?? -1);
    }

    /// <summary>
    /// Throws when <paramref name="value"/> breaks the rule: <see cref="ArgumentOutOfRangeException"/> when too long,
    /// <see cref="ArgumentException"/> otherwise, both naming <paramref name="parameter"/> and never quoting the value.
    /// </summary>
    /// <param name="value">The argument (not null).</param>
    /// <param name="parameter">The parameter's name, as <see cref="ArgumentException.ParamName"/>.</param>
    /// <param name="maxLength">The limit in UTF-16 code units; null when unbounded.</param>
    /// <param name="subject">How the message names the value when it is not the parameter itself (e.g. "claim.WorkerId").</param>
    public static void ThrowIfInvalid(string value, string parameter, int? maxLength = null, string? subject = null)
    {
        var fault = Check(value, maxLength);
        if (!fault.Failed)
        {
            return;
        }

        var message = $"{subject ?? parameter} {fault.Describe()}.";
        if (fault.Problem == TextProblem.TooLong)
        {
            throw new ArgumentOutOfRangeException(parameter, message);
        }

        throw new ArgumentException(message, parameter);
    }
}
