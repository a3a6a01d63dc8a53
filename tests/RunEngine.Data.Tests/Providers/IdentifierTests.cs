using RunEngine.Data.Providers;

namespace RunEngine.Data.Tests.Providers;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("dbo")]
    [InlineData("_private")]
    [InlineData("Schema_2")]
    [InlineData("a")]
    public void ValidateName_PlainIdentifier_ReturnsIt(string name)
    {
        Identifier.ValidateName(name, "Schema", Identifier.MaxSchemaLength).Should().Be(name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("x];DROP TABLE y;--")]
    [InlineData("x\"; DROP TABLE y; --")]
    [InlineData("x'; DROP TABLE y; --")]
    [InlineData("a b")]
    [InlineData("a-b")]
    [InlineData("a.b")]
    [InlineData("[dbo]")]
    [InlineData("naïve")]
    [InlineData("tab\t")]
    [InlineData("x$(Schema)")]
    public void ValidateName_InjectionOrInvalidCharacters_ThrowsNamingTheOption(string? name)
    {
        var validate = () => Identifier.ValidateName(name, "Schema", Identifier.MaxSchemaLength);

        validate.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("Schema");
    }

    [Fact]
    public void ValidateName_TooLong_Throws()
    {
        var atLimit = new string('s', Identifier.MaxSchemaLength);
        var validate = () => Identifier.ValidateName(atLimit + "s", "Schema", Identifier.MaxSchemaLength);

        Identifier.ValidateName(atLimit, "Schema", Identifier.MaxSchemaLength).Should().Be(atLimit);
        validate.Should().Throw<ArgumentException>().WithMessage("*1 to 63 characters*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("re_")]
    [InlineData("App1_")]
    public void ValidatePrefix_EmptyOrPlain_ReturnsIt(string prefix)
    {
        Identifier.ValidatePrefix(prefix, "TablePrefix").Should().Be(prefix);
    }

    [Theory]
    [InlineData("x];DROP TABLE y;--")]
    [InlineData("re-")]
    [InlineData("9_")]
    [InlineData(" ")]
    public void ValidatePrefix_Invalid_Throws(string prefix)
    {
        var validate = () => Identifier.ValidatePrefix(prefix, "TablePrefix");

        validate.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("TablePrefix");
    }

    [Fact]
    public void ValidatePrefix_NullOrTooLong_Throws()
    {
        var tooLong = () => Identifier.ValidatePrefix(new string('p', Identifier.MaxPrefixLength + 1), "TablePrefix");
        var isNull = () => Identifier.ValidatePrefix(null, "TablePrefix");

        tooLong.Should().Throw<ArgumentException>();
        isNull.Should().Throw<ArgumentNullException>();
        Identifier.ValidatePrefix(new string('p', Identifier.MaxPrefixLength), "TablePrefix").Should().HaveLength(Identifier.MaxPrefixLength);
    }
}
