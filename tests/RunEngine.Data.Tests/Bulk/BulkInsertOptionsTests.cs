namespace RunEngine.Data.Tests.Bulk;

public sealed class BulkInsertOptionsTests
{
    [Fact]
    public void InCallerTransaction_Options_KeepsEverySettingAndMarksTheTransactionAsTheCallers()
    {
        var progress = new Progress<long>();
        var options = new BulkInsertOptions
        {
            BatchSize = 7, Timeout = TimeSpan.FromSeconds(3), Progress = progress, ExistingRows = ExistingRows.Skip, ProgressInterval = 11,
        };

        var caller = options.InCallerTransaction();

        options.KeepTransactionUsable.Should().BeFalse("the user's object is never changed");
        caller.KeepTransactionUsable.Should().BeTrue();
        caller.Should().BeEquivalentTo(new { BatchSize = 7, Timeout = (TimeSpan?)TimeSpan.FromSeconds(3), ExistingRows = ExistingRows.Skip, ProgressInterval = 11 });
        caller.Progress.Should().BeSameAs(progress);
        caller.InCallerTransaction().Should().BeSameAs(caller);
        BulkInsertOptions.Default.KeepTransactionUsable.Should().BeFalse();
    }

    [Fact]
    public void WithoutProgress_CallerTransactionOptions_KeepsTheMark()
    {
        var options = new BulkInsertOptions { Progress = new Progress<long>(), BatchSize = 5 }.InCallerTransaction();

        var quiet = options.WithoutProgress();

        quiet.Progress.Should().BeNull();
        quiet.KeepTransactionUsable.Should().BeTrue();
        quiet.BatchSize.Should().Be(5);
    }
}
