using System.Globalization;

namespace RunEngine.Data.Validation;

/// <summary>
/// The first problem <see cref="TextRule"/> found in a string and where: the UTF-16 index for a NUL or a surrogate,
/// the length for an over-long value. A value type, so a string without problems costs no allocation.
/// </summary>
internal readonly record struct TextFault(TextProblem Problem, int Index, int Length, int MaxLength)
{
    /// <summary>No problem.</summary>
    public static TextFault None => default;

    /// <summary>Whether a problem was found.</summary>
    public bool Failed => Problem != TextProblem.None;

    /// <summary>
    /// Describes the problem after the field's name ("Title " + this), never quoting the value:
    /// "contains a NUL character (U+0000) at UTF-16 index 2, …".
    /// </summary>
    public string Describe(string? column = null) => Problem switch
    {
        TextProblem.TooLong => column is null
            ? string.Create(CultureInfo.InvariantCulture, $"is {Length} UTF-16 code units long; at most {MaxLength} are allowed")
            : string.Create(CultureInfo.InvariantCulture, $"is {Length} UTF-16 code units long; the column ({column}) allows at most {MaxLength} UTF-16 code units"),
        TextProblem.Nul => string.Create(
            CultureInfo.InvariantCulture,
            $"contains a NUL character (U+0000) at UTF-16 index {Index}, which text cannot hold on every provider"),
        TextProblem.UnpairedHighSurrogate => string.Create(
            CultureInfo.InvariantCulture,
            $"contains an unpaired UTF-16 high surrogate at UTF-16 index {Index} (not followed by a low surrogate); text must be well-formed UTF-16 to be stored unchanged"),
        TextProblem.UnpairedLowSurrogate => string.Create(
            CultureInfo.InvariantCulture,
            $"contains an unpaired UTF-16 low surrogate at UTF-16 index {Index} (not preceded by a high surrogate); text must be well-formed UTF-16 to be stored unchanged"),
        _ => "is valid",
    };
}
