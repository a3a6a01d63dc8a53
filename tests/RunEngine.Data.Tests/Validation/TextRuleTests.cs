using RunEngine.Data.Validation;

namespace RunEngine.Data.Tests.Validation;

public sealed class TextRuleTests
{
    // Built at run time, not in attributes: attribute strings are stored as UTF-8, which cannot hold a lone surrogate.
    public static TheoryData<string> WellFormed => new()
    {
        "",
        "plain ASCII",
        "Zürich – 東京",
        "\U0001F600",
        "a\U0001F600b\U0001F680c",
        "\uD800\uDC00\uDBFF\uDFFF",
        "\uFFFD\uFFFF\uE000",
        "\uFF01\uFF5E fullwidth \U0001F600 and more \uE000",
        "\uD7FF\uE000",
    };

    public static TheoryData<string, string, int> Broken => new()
    {
        { "\uD800", nameof(TextProblem.UnpairedHighSurrogate), 0 },
        { "a\uD800b", nameof(TextProblem.UnpairedHighSurrogate), 1 },
        { "ab\uDBFF", nameof(TextProblem.UnpairedHighSurrogate), 2 },
        { "\uDC00", nameof(TextProblem.UnpairedLowSurrogate), 0 },
        { "a\uDFFFb", nameof(TextProblem.UnpairedLowSurrogate), 1 },
        { "\U0001F600\uDC00", nameof(TextProblem.UnpairedLowSurrogate), 2 },
        { "\uD83D\uD83D\uDE00", nameof(TextProblem.UnpairedHighSurrogate), 0 },
        { "\uDE00\uD83D", nameof(TextProblem.UnpairedLowSurrogate), 0 },
        { "ab\0c", nameof(TextProblem.Nul), 2 },
        { "\0", nameof(TextProblem.Nul), 0 },
        { "x\0\uD800", nameof(TextProblem.Nul), 1 },
        { "\uD800\0", nameof(TextProblem.UnpairedHighSurrogate), 0 },
        { "\U0001F600\0", nameof(TextProblem.Nul), 2 },
        { new string('a', 40) + "\uD800" + new string('b', 40), nameof(TextProblem.UnpairedHighSurrogate), 40 },
    };

    [Theory]
    [MemberData(nameof(WellFormed), DisableDiscoveryEnumeration = true)]
    public void Check_WellFormedText_FindsNothing(string value)
    {
        TextRule.Check(value, 100).Should().Be(TextFault.None);
    }

    [Theory]
    [MemberData(nameof(Broken), DisableDiscoveryEnumeration = true)]
    public void Check_BrokenText_ReportsTheFirstProblemAndItsUtf16Index(string value, string problem, int index)
    {
        var fault = TextRule.Check(value);

        fault.Problem.ToString().Should().Be(problem);
        fault.Index.Should().Be(index);
    }

    [Fact]
    public void Check_LongerThanTheLimit_ReportsLengthAndLimitBeforeAnythingElse()
    {
        var fault = TextRule.Check("\0" + new string('x', 10), 10);

        fault.Problem.Should().Be(TextProblem.TooLong);
        fault.Length.Should().Be(11);
        fault.MaxLength.Should().Be(10);
        fault.Describe("title").Should().Be("is 11 UTF-16 code units long; the column (title) allows at most 10 UTF-16 code units");
    }

    [Fact]
    public void Check_SurrogatePairAtTheLimit_CountsTwoCodeUnits()
    {
        TextRule.Check(new string('x', 8) + "\U0001F600", 10).Failed.Should().BeFalse();
        TextRule.Check(new string('x', 9) + "\U0001F600", 10).Problem.Should().Be(TextProblem.TooLong);
    }

    [Fact]
    public void Check_ProblemFarIntoALongString_IsFoundAtItsIndex()
    {
        var value = new string('a', 10_000) + "\U0001F600" + new string('b', 5_000) + "\uDC00" + new string('c', 100);

        var fault = TextRule.Check(value);

        fault.Problem.Should().Be(TextProblem.UnpairedLowSurrogate);
        fault.Index.Should().Be(15_002);
    }

    [Fact]
    public void Describe_NeverQuotesTheValue()
    {
        var fault = TextRule.Check("SECRET\uD800");

        fault.Describe().Should().NotContain("SECRET").And.Contain("UTF-16 index 6");
    }

    [Fact]
    public void ThrowIfInvalid_BrokenArgument_ThrowsArgumentExceptionNamingTheParameter()
    {
        var nul = () => TextRule.ThrowIfInvalid("w\0x", "workerId");
        var surrogate = () => TextRule.ThrowIfInvalid("a\uD800", "workerId");

        nul.Should().Throw<ArgumentException>().WithParameterName("workerId").WithMessage("workerId contains a NUL character (U+0000) at UTF-16 index 1*");
        surrogate.Should().Throw<ArgumentException>().WithParameterName("workerId").WithMessage("*unpaired UTF-16 high surrogate at UTF-16 index 1*");
    }

    [Fact]
    public void ThrowIfInvalid_TooLong_ThrowsArgumentOutOfRangeWithoutTheValue()
    {
        var act = () => TextRule.ThrowIfInvalid("SECRET" + new string('m', 20), "message", 10);

        var error = act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("message").Which;
        error.Message.Should().StartWith("message is 26 UTF-16 code units long; at most 10 are allowed").And.NotContain("SECRET");
        error.ActualValue.Should().BeNull();
    }
}
