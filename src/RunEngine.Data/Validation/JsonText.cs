using System.Globalization;
using System.Text;

namespace RunEngine.Data.Validation;

/// <summary>
/// The one JSON rule of every provider: a document is accepted exactly when PostgreSQL's <c>jsonb</c> accepts it
/// (RFC 8259 syntax; no <c>\u0000</c> escape; no unpaired surrogate escape; numbers within PostgreSQL numeric's
/// range), and when it nests at most <see cref="MaxDepth"/> arrays and objects, so a document one provider stores is
/// stored by all. Checked on the UTF-16 string without building a DOM or allocating; only a failure allocates its
/// message, which says what is wrong and where (line, UTF-8 byte offset) and never quotes the document.
/// </summary>
/// <remarks>
/// The limits were found on PostgreSQL 15 (<c>SELECT '…'::jsonb</c>): a number may have at most
/// <see cref="MaxIntegerDigits"/> digits before the decimal point (1e131071 is accepted, 1e131072 is not) and at most
/// <see cref="MaxFractionDigits"/> after it, counting trailing zeros and the shift of a negative exponent (1e-16383
/// and 1.0e-16382 are accepted, 1e-16384 and 1.00e-16382 are not, nor is 0e-16384), and its exponent must be below
/// 1,073,741,823 in magnitude (int.MaxValue / 2) even when the number is zero. Duplicate keys are accepted, as jsonb
/// does (it keeps the last). The text rule (<see cref="TextRule"/>) runs first, so the string is well-formed UTF-16.
/// </remarks>
internal static class JsonText
{
    /// <summary>
    /// The deepest nesting of arrays and objects accepted: 64, System.Text.Json's default, so every stored document
    /// can be read back with <c>JsonDocument.Parse</c> or <c>JsonSerializer</c> defaults. PostgreSQL, SQLite (1,000)
    /// and SQL Server accept it.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>The most digits before the decimal point PostgreSQL's numeric holds: 131,072.</summary>
    public const int MaxIntegerDigits = 131_072;

    /// <summary>The most digits after the decimal point PostgreSQL's numeric holds: 16,383.</summary>
    public const int MaxFractionDigits = 16_383;

    /// <summary>The smallest exponent magnitude PostgreSQL's numeric input rejects: int.MaxValue / 2.</summary>
    public const long ExponentLimit = int.MaxValue / 2;

    /// <summary>Returns null when <paramref name="json"/> is a document every provider stores, otherwise what is wrong and where.</summary>
    public static string? FindError(string json)
    {
        var scanner = new JsonScanner(json);
        var problem = scanner.Scan();
        return problem == JsonProblem.None ? null : Describe(json, problem, scanner.ErrorIndex);
    }

    /// <summary>Returns the first problem of <paramref name="json"/> and its UTF-16 index (-1 when none).</summary>
    public static (JsonProblem Problem, int Index) Check(string json)
    {
        var scanner = new JsonScanner(json);
        var problem = scanner.Scan();
        return (problem, problem == JsonProblem.None ? -1 : scanner.ErrorIndex);
    }

    private static string Describe(string json, JsonProblem problem, int index)
    {
        var what = problem switch
        {
            JsonProblem.Empty => "the text is empty or only white space",
            JsonProblem.UnexpectedCharacter => "a character that cannot start a JSON value",
            JsonProblem.UnexpectedEnd => "the text ends before the document is complete",
            JsonProblem.TrailingText => "text follows the end of the document (only one JSON value is allowed)",
            JsonProblem.ExpectedCommaOrEnd => "',' or the closing bracket of the array or object is expected",
            JsonProblem.ExpectedKey => "an object key (a string in double quotes) is expected",
            JsonProblem.ExpectedColon => "':' is expected after an object key",
            JsonProblem.InvalidLiteral => "a word other than true, false or null",
            JsonProblem.UnterminatedString => "a string without its closing quote",
            JsonProblem.ControlCharacter => "a control character (below U+0020) in a string must be escaped",
            JsonProblem.InvalidEscape => "a backslash escape JSON does not define",
            JsonProblem.InvalidUnicodeEscape => "\\u must be followed by four hexadecimal digits",
            JsonProblem.NulEscape => "a \\u0000 escape, which PostgreSQL's jsonb cannot store",
            JsonProblem.UnpairedHighSurrogateEscape => "a high-surrogate \\u escape not followed by a low-surrogate \\u escape",
            JsonProblem.UnpairedLowSurrogateEscape => "a low-surrogate \\u escape not preceded by a high-surrogate \\u escape",
            JsonProblem.InvalidNumber => "a number not in JSON's syntax (no leading zeros or '+', digits required after '-', '.' and the exponent)",
            JsonProblem.NumberTooLarge => string.Create(
                CultureInfo.InvariantCulture, $"a number with more than {MaxIntegerDigits:N0} digits before the decimal point, beyond PostgreSQL's numeric"),
            JsonProblem.NumberTooPrecise => string.Create(
                CultureInfo.InvariantCulture, $"a number with more than {MaxFractionDigits:N0} digits after the decimal point, beyond PostgreSQL's numeric"),
            JsonProblem.ExponentOutOfRange => string.Create(
                CultureInfo.InvariantCulture, $"a number whose exponent is {ExponentLimit:N0} or more in magnitude, beyond PostgreSQL's numeric"),
            JsonProblem.TooDeep => string.Create(
                CultureInfo.InvariantCulture, $"arrays and objects nested deeper than {MaxDepth} levels"),
            _ => "an unknown problem",
        };

        var before = json.AsSpan(0, Math.Min(index, json.Length));
        var lineStart = before.LastIndexOf('\n') + 1;
        var line = before.Count('\n') + 1;
        var byteInLine = Encoding.UTF8.GetByteCount(before[lineStart..]);
        var byteOffset = lineStart == 0 ? byteInLine : Encoding.UTF8.GetByteCount(before);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{what}, at line {line}, byte {byteInLine} of the line (byte offset {byteOffset} of the document; UTF-8, counted from 0)");
    }
}
