using RunEngine.Data.Validation;

namespace RunEngine.Data.Tests.Validation;

/// <summary>
/// The JSON rule, case by case. Every expectation here was checked against PostgreSQL 15's <c>'…'::jsonb</c>; the
/// PostgreSQL integration test runs a table like this one through a real server.
/// </summary>
public sealed class JsonTextTests
{
    public static TheoryData<string> Accepted => new()
    {
        "{}",
        "[]",
        "0",
        "-0",
        "-0.0e0",
        "1E+2",
        "[1e5, -0.0, 1E+2, 1e-2, 123.456e-7]",
        "true",
        "null",
        "\"text\"",
        " \t\r\n{ \"a\" : [ 1 , 2 ] }\n",
        "{\"a\":1,\"a\":2}",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "\"\\u00e9\\u00E9\\uFFFF\"",
        "\"\\ud83d\\ude00\"",
        "\"\\uD83D\\uDE00\"",
        "\"\\\\u0000\"",
        "\"\U0001F600 Zürich\u007F\u2028\"",
        "1e131071",
        "9.99e131071",
        "0.0001e131075",
        "1e-16383",
        "1.0e-16382",
        "0e1073741822",
        "0e-16383",
        "1e0000000000000000005",
        "1" + new string('0', 131_071),
        "0." + new string('1', 16_383),
        new string('[', JsonText.MaxDepth) + new string(']', JsonText.MaxDepth),
        "{\"a\":" + string.Concat(Enumerable.Repeat("{\"b\":", JsonText.MaxDepth - 1)) + "1" + new string('}', JsonText.MaxDepth),
    };

    public static TheoryData<string, string, int> Rejected => new()
    {
        { "", nameof(JsonProblem.Empty), 0 },
        { "  \n ", nameof(JsonProblem.Empty), 0 },
        { "{\"a\":\"\\u0000\"}", nameof(JsonProblem.NulEscape), 6 },
        { "{\"\\u0000\":1}", nameof(JsonProblem.NulEscape), 2 },
        { "{\"a\":\"\\ud800\"}", nameof(JsonProblem.UnpairedHighSurrogateEscape), 6 },
        { "\"\\udc00\"", nameof(JsonProblem.UnpairedLowSurrogateEscape), 1 },
        { "\"\\ud83d\\u0041\"", nameof(JsonProblem.UnpairedHighSurrogateEscape), 1 },
        { "\"\\ud83dx\"", nameof(JsonProblem.UnpairedHighSurrogateEscape), 1 },
        { "\"\\ud83d\\n\"", nameof(JsonProblem.UnpairedHighSurrogateEscape), 1 },
        { "\"\\ud83d\\ud83d\\ude00\"", nameof(JsonProblem.UnpairedHighSurrogateEscape), 1 },
        { "{\"n\":1e1000000}", nameof(JsonProblem.NumberTooLarge), 5 },
        { "1e131072", nameof(JsonProblem.NumberTooLarge), 0 },
        { "0.0001e131076", nameof(JsonProblem.NumberTooLarge), 0 },
        { "1" + new string('0', 131_072), nameof(JsonProblem.NumberTooLarge), 0 },
        { "1e-16384", nameof(JsonProblem.NumberTooPrecise), 0 },
        { "1.00e-16382", nameof(JsonProblem.NumberTooPrecise), 0 },
        { "0e-16384", nameof(JsonProblem.NumberTooPrecise), 0 },
        { "0." + new string('0', 16_384), nameof(JsonProblem.NumberTooPrecise), 0 },
        { "0e1073741823", nameof(JsonProblem.ExponentOutOfRange), 0 },
        { "[0e99999999999999999999999]", nameof(JsonProblem.ExponentOutOfRange), 1 },
        { "01", nameof(JsonProblem.InvalidNumber), 0 },
        { "-01", nameof(JsonProblem.InvalidNumber), 0 },
        { "1.", nameof(JsonProblem.InvalidNumber), 0 },
        { "2.e3", nameof(JsonProblem.InvalidNumber), 0 },
        { "1e", nameof(JsonProblem.InvalidNumber), 0 },
        { "1e+", nameof(JsonProblem.InvalidNumber), 0 },
        { "-", nameof(JsonProblem.InvalidNumber), 0 },
        { "[-]", nameof(JsonProblem.InvalidNumber), 1 },
        { ".5", nameof(JsonProblem.UnexpectedCharacter), 0 },
        { "+1", nameof(JsonProblem.UnexpectedCharacter), 0 },
        { "NaN", nameof(JsonProblem.UnexpectedCharacter), 0 },
        { "Infinity", nameof(JsonProblem.UnexpectedCharacter), 0 },
        { "0x10", nameof(JsonProblem.TrailingText), 1 },
        { "\uFEFF{}", nameof(JsonProblem.UnexpectedCharacter), 0 },
        { "{}\f", nameof(JsonProblem.TrailingText), 2 },
        { "\u00A01", nameof(JsonProblem.UnexpectedCharacter), 0 },
        { "\"a\u0001b\"", nameof(JsonProblem.ControlCharacter), 2 },
        { "\"a\tb\"", nameof(JsonProblem.ControlCharacter), 2 },
        { "\"\\x\"", nameof(JsonProblem.InvalidEscape), 1 },
        { "\"\\'\"", nameof(JsonProblem.InvalidEscape), 1 },
        { "\"\\U0041\"", nameof(JsonProblem.InvalidEscape), 1 },
        { "\"\\u12\"", nameof(JsonProblem.InvalidUnicodeEscape), 1 },
        { "\"\\u12G4\"", nameof(JsonProblem.InvalidUnicodeEscape), 1 },
        { "\"abc", nameof(JsonProblem.UnterminatedString), 0 },
        { "\"abc\\", nameof(JsonProblem.UnterminatedString), 0 },
        { "[1,]", nameof(JsonProblem.UnexpectedCharacter), 3 },
        { "[1 2]", nameof(JsonProblem.ExpectedCommaOrEnd), 3 },
        { "{\"a\":1,}", nameof(JsonProblem.ExpectedKey), 7 },
        { "{a:1}", nameof(JsonProblem.ExpectedKey), 1 },
        { "{'a':1}", nameof(JsonProblem.ExpectedKey), 1 },
        { "{\"a\" 1}", nameof(JsonProblem.ExpectedColon), 5 },
        { "{\"a\":}", nameof(JsonProblem.UnexpectedCharacter), 5 },
        { "[", nameof(JsonProblem.UnexpectedEnd), 1 },
        { "{\"a\":[1,2", nameof(JsonProblem.UnexpectedEnd), 9 },
        { "]", nameof(JsonProblem.UnexpectedCharacter), 0 },
        { "[}", nameof(JsonProblem.UnexpectedCharacter), 1 },
        { "{]", nameof(JsonProblem.ExpectedKey), 1 },
        { "1 2", nameof(JsonProblem.TrailingText), 2 },
        { "{} {}", nameof(JsonProblem.TrailingText), 3 },
        { "[] x", nameof(JsonProblem.TrailingText), 3 },
        { "nul", nameof(JsonProblem.InvalidLiteral), 0 },
        { "TRUE", nameof(JsonProblem.UnexpectedCharacter), 0 },
        { "truex", nameof(JsonProblem.TrailingText), 4 },
        { "{\"a\":1}/**/", nameof(JsonProblem.TrailingText), 7 },
        { new string('[', JsonText.MaxDepth + 1) + new string(']', JsonText.MaxDepth + 1), nameof(JsonProblem.TooDeep), JsonText.MaxDepth },
    };

    [Theory]
    [MemberData(nameof(Accepted), DisableDiscoveryEnumeration = true)]
    public void FindError_DocumentJsonbStores_ReturnsNull(string json)
    {
        JsonText.FindError(json).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Rejected), DisableDiscoveryEnumeration = true)]
    public void Check_DocumentJsonbRejects_ReportsTheProblemAndWhere(string json, string problem, int index)
    {
        var (found, at) = JsonText.Check(json);

        (found.ToString(), at).Should().Be((problem, index));
    }

    [Fact]
    public void FindError_NeverQuotesTheDocument()
    {
        foreach (var json in new[] { "[tokenSECRET]", "{\"tokenSECRET\" 1}", "\"tokenSECRET\\q\"", "{\"k\":\"tokenSECRET\\u0000\"}", "tokenSECRET" })
        {
            var error = JsonText.FindError(json);

            error.Should().NotBeNull(json).And.NotContain("SECRET").And.NotContain("token");
        }
    }

    [Fact]
    public void FindError_SecondLine_GivesLineAndUtf8ByteOffsets()
    {
        var error = JsonText.FindError("{\"é\": 1,\n  \"ü\": \"\\u0000\"}");

        error.Should().Be(
            "a \\u0000 escape, which PostgreSQL's jsonb cannot store, at line 2, byte 9 of the line " +
            "(byte offset 19 of the document; UTF-8, counted from 0)");
    }

    [Fact]
    public void FindError_NumberOutOfRange_SaysTheLimit()
    {
        JsonText.FindError("{\"n\":1e1000000}").Should().StartWith("a number with more than 131,072 digits before the decimal point, beyond PostgreSQL's numeric, at line 1, byte 5 ");
        JsonText.FindError("[1e-20000]").Should().StartWith("a number with more than 16,383 digits after the decimal point");
        JsonText.FindError(new string('[', 65) + new string(']', 65)).Should().StartWith("arrays and objects nested deeper than 64 levels, at line 1, byte 64 ");
    }
}
