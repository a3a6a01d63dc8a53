namespace RunEngine.Data.Tests.Resilience;

/// <summary>RetryOptions' documented defaults and their validation (alone and through RunEngineOptions).</summary>
public sealed class RetryOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new RetryOptions();

        options.Enabled.Should().BeTrue();
        options.MaxRetries.Should().Be(4);
        options.BaseDelay.Should().Be(TimeSpan.FromMilliseconds(100));
        options.MaxDelay.Should().Be(TimeSpan.FromSeconds(2));
        options.Timeout.Should().Be(TimeSpan.FromSeconds(30));
        new RunEngineOptions().Retry.Should().NotBeNull();
        new RunEngineOptions().RetryPipeline.Should().BeNull();
    }

    public static TheoryData<string, Action<RetryOptions>> OutOfRange() => new()
    {
        { "MaxRetries", o => o.MaxRetries = -1 },
        { "MaxRetries", o => o.MaxRetries = RetryOptions.MaxRetriesLimit + 1 },
        { "BaseDelay", o => o.BaseDelay = TimeSpan.FromMilliseconds(-1) },
        { "BaseDelay", o => o.BaseDelay = TimeSpan.FromSeconds(3) },
        { "MaxDelay", o => o.MaxDelay = TimeSpan.FromDays(2) },
        { "MaxDelay", o => o.MaxDelay = TimeSpan.FromSeconds(-1) },
        { "Timeout", o => o.Timeout = TimeSpan.Zero },
        { "Timeout", o => o.Timeout = BulkInsertOptions.MaxTimeout + TimeSpan.FromMilliseconds(1) },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Validate_OutOfRange_ThrowsNamingTheOption(string option, Action<RetryOptions> set)
    {
        var options = new RunEngineOptions();
        set(options.Retry);

        var act = options.Validate;

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(option);
    }

    [Fact]
    public void Validate_NullRetry_Throws()
    {
        var options = new RunEngineOptions { Retry = null! };

        var act = options.Validate;

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("Retry");
    }

    [Fact]
    public void Validate_EdgeValues_AreAccepted()
    {
        var options = new RunEngineOptions
        {
            Retry = new RetryOptions { MaxRetries = 0, BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, Timeout = TimeSpan.FromMilliseconds(1) },
        };

        var act = options.Validate;

        act.Should().NotThrow();
    }
}
