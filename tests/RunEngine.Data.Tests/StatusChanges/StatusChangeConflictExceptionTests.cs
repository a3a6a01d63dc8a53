namespace RunEngine.Data.Tests.StatusChanges;

public sealed class StatusChangeConflictExceptionTests
{
    [Fact]
    public void Message_ManyConflictsAndMissing_NamesTheFirstThreeOfEachAndTheCounts()
    {
        var conflicts = Enumerable.Range(1, 5).Select(i => new StatusConflict(Guid.CreateVersion7(), i, i + 1)).ToList();
        var missing = Enumerable.Range(0, 4).Select(_ => Guid.CreateVersion7()).ToList();

        var error = new StatusChangeConflictException("Card", conflicts, missing);

        error.Message.Should().StartWith("The Card status changes were not applied: 5 version conflict(s): ")
            .And.Contain($"{conflicts[0].Id} (expected version 1, stored 2)")
            .And.Contain(conflicts[2].Id.ToString()).And.NotContain(conflicts[3].Id.ToString())
            .And.Contain("and 2 more").And.Contain("4 missing id(s): ")
            .And.Contain(missing[2].ToString()).And.NotContain(missing[3].ToString()).And.Contain("and 1 more")
            .And.EndWith("Nothing of the batch was changed.");
        error.Conflicts.Should().BeSameAs(conflicts);
        error.Missing.Should().BeSameAs(missing);
        error.Should().BeAssignableTo<RunEngineDataException>();
    }

    [Fact]
    public void Message_OnlyMissing_SaysNothingOfConflicts()
    {
        var id = Guid.CreateVersion7();

        var error = new StatusChangeConflictException("Story", [], [id]);

        error.Message.Should().Be($"The Story status changes were not applied: 1 missing id(s): {id}. Nothing of the batch was changed.");
    }

    [Fact]
    public void Validate_UndefinedMode_Throws()
    {
        var act = () => new StatusChangeOptions { Mode = (StatusChangeMode)7 }.Validate();

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Mode");
    }
}
