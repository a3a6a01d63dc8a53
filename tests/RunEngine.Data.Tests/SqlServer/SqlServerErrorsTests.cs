using System.Reflection;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Providers;
using RunEngine.Data.SqlServer;
using RunEngine.Data.Tests.Infrastructure;

namespace RunEngine.Data.Tests.SqlServer;

public sealed class SqlServerErrorsTests
{
    [Theory]
    [InlineData(new[] { 2627, 3621 }, "UniqueViolation")]
    [InlineData(new[] { 2601, 3621 }, "UniqueViolation")]
    [InlineData(new[] { 547, 3621 }, "ForeignKeyViolation")]
    [InlineData(new[] { 3621, 547 }, "ForeignKeyViolation")]
    [InlineData(new[] { 1205 }, "Other")]
    [InlineData(new int[0], "Other")]
    public void Classify_ErrorNumbers_MapsKnownNumbers(int[] numbers, string expected)
    {
        SqlServerErrors.Classify(numbers).Should().Be(Enum.Parse<DbErrorKind>(expected));
    }

    [Theory]
    [InlineData(2627, "UniqueViolation")]
    [InlineData(2601, "UniqueViolation")]
    [InlineData(547, "ForeignKeyViolation")]
    [InlineData(208, "Other")]
    public void Classify_SqlException_DirectOrWrapped_MapsByNumber(int number, string expected)
    {
        var error = SqlExceptions.Create(number);
        var provider = SqlServerScriptDomTests.CreateProvider("default");
        var kind = Enum.Parse<DbErrorKind>(expected);

        provider.Classify(error).Should().Be(kind);
        provider.Classify(new InvalidOperationException("wrapper", error)).Should().Be(kind);
        provider.Classify(new AggregateException(error)).Should().Be(kind);
    }

    [Fact]
    public void Classify_NonSqlException_IsOther()
    {
        SqlServerErrors.Classify(new TimeoutException()).Should().Be(DbErrorKind.Other);
    }

    /// <summary>SqlException has no public constructor; build one the way SqlClient does, through its internal factory.</summary>
    [Fact]
    public void Describe_PrimaryKeyMessage_ReadsIdKeyAndValue()
    {
        var violation = SqlServerErrors.Describe(
            2627,
            "Violation of PRIMARY KEY constraint 'PK_re_stories'. Cannot insert duplicate key in object 'dbo.re_stories'. " +
            "The duplicate key value is (0192F0C4-8D47-7C4E-9A4D-1F0A3A6C2B11).")!;

        violation.Kind.Should().Be(DbErrorKind.UniqueViolation);
        violation.Key.Should().Be(ViolatedKey.Id);
        violation.Constraint.Should().Be("PK_re_stories");
        violation.Columns.Should().Equal("id");
        violation.Values.Should().Equal("0192F0C4-8D47-7C4E-9A4D-1F0A3A6C2B11");
        violation.Position.Should().BeNull();
    }

    [Theory]
    [InlineData("UQ_re_stories_run_id_position", "run_id,position")]
    [InlineData("UQ_re_cards_story_id_position", "story_id,position")]
    [InlineData("UQ_re_cards_run_id_story_id_position", "run_id,story_id,position")]
    public void Describe_UniqueKeyMessage_ReadsNaturalKeyColumnsFromTheName(string constraint, string columns)
    {
        var names = columns.Split(',');
        var values = string.Join(", ", names.Select((_, i) => i == names.Length - 1 ? "3" : Guid.Empty.ToString()));

        var violation = SqlServerErrors.Describe(
            2627,
            $"Violation of UNIQUE KEY constraint '{constraint}'. Cannot insert duplicate key in object 'dbo.t'. The duplicate key value is ({values}).")!;

        violation.Key.Should().Be(ViolatedKey.NaturalKey);
        violation.Columns.Should().Equal(names);
        violation.Values![^1].Should().Be("3");
    }

    [Fact]
    public void Describe_StoriesRunIdIdUniqueKey_IsTheId()
    {
        var violation = SqlServerErrors.Describe(
            2627,
            "Violation of UNIQUE KEY constraint 'UQ_re_stories_run_id_id'. Cannot insert duplicate key in object 'dbo.re_stories'. " +
            "The duplicate key value is (0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11, 0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b12).")!;

        violation.Key.Should().Be(ViolatedKey.Id);
        violation.Columns.Should().Equal("run_id", "id");
    }

    [Fact]
    public void Describe_UniqueIndexMessage_ReadsIndexNameAndValues()
    {
        var violation = SqlServerErrors.Describe(
            2601,
            "Cannot insert duplicate key row in object 'dbo.re_cards' with unique index 'UX_re_cards_story_id_position'. " +
            "The duplicate key value is (0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11, 4).")!;

        violation.Constraint.Should().Be("UX_re_cards_story_id_position");
        violation.Key.Should().Be(ViolatedKey.NaturalKey);
        violation.Values.Should().Equal("0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11", "4");
    }

    [Fact]
    public void Describe_ForeignKeyMessage_NamesConstraintButNoValues()
    {
        var violation = SqlServerErrors.Describe(
            547,
            "The INSERT statement conflicted with the FOREIGN KEY constraint \"FK_re_cards_run_id_story_id_stories\". " +
            "The conflict occurred in database \"re_test\", table \"dbo.re_stories\".")!;

        violation.Kind.Should().Be(DbErrorKind.ForeignKeyViolation);
        violation.Key.Should().Be(ViolatedKey.Parent);
        violation.Constraint.Should().Be("FK_re_cards_run_id_story_id_stories");
        violation.Values.Should().BeNull();
        violation.Hint.Should().Contain("547");
    }

    [Theory]
    [InlineData(547, "The INSERT statement conflicted with the CHECK constraint \"CK_re_stories_status\". The conflict occurred in database \"d\".")]
    [InlineData(1205, "Transaction (Process ID 52) was deadlocked on lock resources with another process.")]
    public void Describe_OtherErrors_IsNull(int number, string message)
    {
        SqlServerErrors.Describe(number, message).Should().BeNull();
    }

    // Messages as SQL Server prints them in another session language (SET LANGUAGE, the login's or the server's
    // default): the English phrases are missing, the library's constraint names and the printed key are not.
    private const string GermanPrimaryKey =
        "Verletzung der PRIMARY KEY-Einschränkung \"PK_app_stories\". Ein doppelter Schlüssel kann in das dbo.app_stories-Objekt " +
        "nicht eingefügt werden. Der doppelte Schlüsselwert ist (0192F0C4-8D47-7C4E-9A4D-1F0A3A6C2B11).";

    private const string FrenchNaturalKey =
        "Violation de la contrainte UNIQUE KEY « UQ_app_cards_run_id_story_id_position ». Impossible d'insérer une clé en double " +
        "dans l'objet « dbo.app_cards ». Valeur de clé dupliquée : (0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11, 0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b12, 3).";

    private const string JapaneseRunPosition =
        "UNIQUE KEY 制約 'UQ_app_stories_run_id_position' の違反。オブジェクト 'dbo.app_stories' には重複するキーを挿入できません。" +
        "重複するキーの値は (0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11, 7) です。";

    [Fact]
    public void Describe_PrimaryKeyInGerman_FindsTheLibraryConstraintByNameAndReadsTheId()
    {
        var violation = SqlServerErrors.Describe(2627, GermanPrimaryKey, "app_")!;

        violation.Kind.Should().Be(DbErrorKind.UniqueViolation);
        violation.Key.Should().Be(ViolatedKey.Id);
        violation.Constraint.Should().Be("PK_app_stories");
        violation.Columns.Should().Equal("id");
        violation.Values.Should().Equal("0192F0C4-8D47-7C4E-9A4D-1F0A3A6C2B11");
    }

    [Fact]
    public void Describe_NaturalKeysInFrenchAndJapanese_ReadColumnsAndValues()
    {
        var french = SqlServerErrors.Describe(2627, FrenchNaturalKey, "app_")!;
        var japanese = SqlServerErrors.Describe(2627, JapaneseRunPosition, "app_")!;

        french.Key.Should().Be(ViolatedKey.NaturalKey);
        french.Constraint.Should().Be("UQ_app_cards_run_id_story_id_position");
        french.Columns.Should().Equal("run_id", "story_id", "position");
        french.Values.Should().Equal("0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11", "0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b12", "3");
        japanese.Constraint.Should().Be("UQ_app_stories_run_id_position");
        japanese.Columns.Should().Equal("run_id", "position");
        japanese.Values.Should().Equal("0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11", "7");
    }

    [Fact]
    public void Describe_ForeignKeyInFrench_IsTheParentByTheLibraryName()
    {
        var violation = SqlServerErrors.Describe(
            547,
            "L'instruction INSERT est en conflit avec la contrainte FOREIGN KEY \"FK_app_cards_run_id_story_id_stories\". " +
            "Le conflit s'est produit dans la base de données \"d\", table \"dbo.app_stories\".",
            "app_")!;

        violation.Kind.Should().Be(DbErrorKind.ForeignKeyViolation);
        violation.Key.Should().Be(ViolatedKey.Parent);
        violation.Constraint.Should().Be("FK_app_cards_run_id_story_id_stories");
    }

    [Theory]
    [InlineData("Verletzung der UNIQUE KEY-Einschränkung \"UQ_app_stories_run_id_position\". Der doppelte Schlüsselwert ist (Wert abgeschnitten).")]
    [InlineData("Verletzung der UNIQUE KEY-Einschränkung \"UQ_app_stories_run_id_position\". Der doppelte Schlüsselwert ist (7, 0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11).")]
    [InlineData("Verletzung der PRIMARY KEY-Einschränkung \"PK_app_stories\". Der doppelte Schlüsselwert ist (1).")]
    public void Describe_LocalizedKeyThatDoesNotParseAsItsColumns_KeepsTheKeyButNoValues(string message)
    {
        var violation = SqlServerErrors.Describe(2627, message, "app_")!;

        violation.Constraint.Should().NotBeNull();
        violation.Key.Should().NotBe(ViolatedKey.Unknown);
        violation.Values.Should().BeNull("values that do not read as the key's columns are never passed on as the key");
        violation.Columns.Should().BeNull();
    }

    [Theory]
    [InlineData(2627, "Verletzung der UNIQUE KEY-Einschränkung \"UQ_other_t\". Ein doppelter Schlüssel kann in das dbo.app_stories-Objekt nicht eingefügt werden. Der doppelte Schlüsselwert ist (1).")]
    [InlineData(2627, "Verletzung der PRIMARY KEY-Einschränkung \"PK_app_stories_archive\". Der doppelte Schlüsselwert ist (0192f0c4-8d47-7c4e-9a4d-1f0a3a6c2b11).")]
    public void Describe_LocalizedUnknownConstraint_IsAnUnknownKeyWithoutValues(int number, string message)
    {
        var violation = SqlServerErrors.Describe(number, message, "app_")!;

        violation.Kind.Should().Be(DbErrorKind.UniqueViolation);
        violation.Key.Should().Be(ViolatedKey.Unknown);
        violation.Constraint.Should().BeNull();
        violation.Values.Should().BeNull();
    }

    [Theory]
    [InlineData("L'instruction INSERT est en conflit avec la contrainte CHECK \"CK_app_stories_status\". Le conflit s'est produit dans la base de données \"d\".")]
    [InlineData("L'instruction INSERT est en conflit avec la contrainte FOREIGN KEY \"FK_app_cards_run_id_story_id_stories_x\".")]
    public void Describe_LocalizedConflictWithoutALibraryForeignKey_IsNull(string message)
    {
        SqlServerErrors.Describe(547, message, "app_").Should().BeNull();
    }

    [Fact]
    public void Describe_SqlExceptionInAnotherLanguage_ReadsItThroughTheProviderPrefix()
    {
        var provider = new SqlServerProvider("Server=unused", new SqlServerOptions { TablePrefix = "app_" });
        var error = SqlExceptions.Create(2627, message: GermanPrimaryKey);

        var violation = provider.DescribeViolation(new InvalidOperationException("wrapper", error))!;

        violation.Key.Should().Be(ViolatedKey.Id);
        violation.Values.Should().Equal("0192F0C4-8D47-7C4E-9A4D-1F0A3A6C2B11");
    }
}
