using Akka.Configuration;
using Connector.Node.Configuration;

namespace Connector.Node.Tests;

/// <summary>Substitutions of HOCON files resolved from environment variables, against Akka's own parser.</summary>
public sealed class EnvironmentSubstitutionTests
{
    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["HOST"] = "api.example.test",
        ["PORT"] = "9000",
        ["SECRET"] = "TopSecret-Value",
        ["EMPTY"] = string.Empty,
        ["ESCAPES"] = "quote \" backslash \\ plus + tab \t non-ASCII ü 日本",
    };

    private static Config Parse(string text)
    {
        var (config, problem) = EnvironmentSubstitution.Parse(text, Lookup);
        Assert.Null(problem);
        Assert.NotNull(config);
        return config;
    }

    private static string Problem(string text)
    {
        var (config, problem) = EnvironmentSubstitution.Parse(text, Lookup);
        Assert.Null(config);
        Assert.NotNull(problem);
        return problem;
    }

    private static string? Lookup(string name) => Variables.GetValueOrDefault(name);

    [Fact]
    public void Variable_WholeValue()
    {
        var config = Parse("host = ${HOST}");

        Assert.Equal("api.example.test", config.GetString("host"));
    }

    [Fact]
    public void Variable_InConcatenation()
    {
        var config = Parse("url = \"http://\"${HOST}\":\"${PORT}\"/customers\"");

        Assert.Equal("http://api.example.test:9000/customers", config.GetString("url"));
    }

    [Fact]
    public void Variable_ValueKeepsEveryCharacter()
    {
        var config = Parse("a { value = ${ESCAPES} }");

        Assert.Equal(Variables["ESCAPES"], config.GetString("a.value"));
    }

    [Fact]
    public void EmptyVariable_WholeValueAndConcatenation()
    {
        var config = Parse("whole = ${EMPTY}\njoined = \"a\"${EMPTY}\"b\"");

        Assert.Equal(string.Empty, config.GetString("whole"));
        Assert.Equal("ab", config.GetString("joined"));
    }

    [Fact]
    public void OptionalVariable_SetOverridesEarlierValue()
    {
        var config = Parse("port = 8080\nport = ${?PORT}");

        Assert.Equal(9000, config.GetInt("port"));
    }

    [Theory]
    [InlineData("port = 8080\nport = ${?MISSING}\n")]
    [InlineData("port = 8080\nport = ${?MISSING} # from the environment\n")]
    [InlineData("port = 8080\nport : ${?MISSING}")]
    [InlineData("port = 8080\n\"port\" = ${?MISSING}")]
    public void OptionalVariable_UnsetKeepsEarlierValue(string text)
    {
        var config = Parse(text);

        Assert.Equal(8080, config.GetInt("port"));
    }

    [Fact]
    public void OptionalVariable_UnsetInInlineObject()
    {
        var config = Parse("server { port = ${?MISSING}, host = ${HOST} }\nother { port = ${?MISSING} }");

        Assert.False(config.HasPath("server.port"));
        Assert.Equal("api.example.test", config.GetString("server.host"));
        Assert.False(config.HasPath("other.port"));
    }

    [Fact]
    public void OptionalVariable_UnsetInConcatenationIsEmpty()
    {
        var config = Parse("name = \"orders-\"${?MISSING}\"-v1\"");

        Assert.Equal("orders--v1", config.GetString("name"));
    }

    [Fact]
    public void OptionalVariable_UnsetInListIsProblem()
    {
        var problem = Problem("hosts = [ \"a\", ${?MISSING} ]");

        Assert.StartsWith("line 1: ${?MISSING} is in a list", problem);
        Assert.Contains("Set the environment variable MISSING", problem);
    }

    [Fact]
    public void OptionalVariable_UnsetInListListedWithRequired()
    {
        var lines = Problem("select = [ \"id\", ${?OPT_MISSING} ]\nlt = ${LT_MISSING}\nkey = ${KEY_MISSING}\n").Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("line 1: ${?OPT_MISSING} is in a list", lines[0]);
        Assert.StartsWith("line 2: ${LT_MISSING} is not set", lines[1]);
        Assert.StartsWith("line 3: ${KEY_MISSING} is not set", lines[2]);
    }

    [Fact]
    public void OptionalVariable_InListFromFileResolves()
    {
        var config = Parse("a { b = x }\nlist = [ ${?a.b}, ${?HOST} ]\n");

        Assert.Equal(["x", "api.example.test"], config.GetStringList("list"));
    }

    [Fact]
    public void RequiredVariables_EveryUnsetOneListed()
    {
        var problem = Problem("a = ${FIRST_MISSING}\nb = ${HOST}\nc { d = ${SECOND_MISSING} }\ne = \"x\"${THIRD_MISSING}\n");

        var lines = problem.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("line 1: ${FIRST_MISSING} is not set", lines[0]);
        Assert.StartsWith("line 3: ${SECOND_MISSING} is not set", lines[1]);
        Assert.StartsWith("line 4: ${THIRD_MISSING} is not set", lines[2]);
    }

    [Fact]
    public void RequiredVariable_UnsetOnceListedOnce()
    {
        var problem = Problem("a = ${ONLY_MISSING}\nb = ${ONLY_MISSING}\n");

        var line = Assert.Single(problem.Split('\n'));
        Assert.StartsWith("line 1: ${ONLY_MISSING} is not set", line);
    }

    [Fact]
    public void RequiredVariable_RepeatedStillListsLaterOnes()
    {
        var problem = Problem("a = ${TWICE_MISSING}\nb = ${TWICE_MISSING}\nc = ${LATER_MISSING}\n");

        var lines = problem.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("line 1: ${TWICE_MISSING} is not set", lines[0]);
        Assert.StartsWith("line 3: ${LATER_MISSING} is not set", lines[1]);
    }

    [Fact]
    public void RequiredVariable_UnsetInListListedWithOthers()
    {
        var problem = Problem("hosts = [ \"a\", ${LIST_MISSING} ]\nb = ${FIELD_MISSING}\n");

        var lines = problem.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("line 1: ${LIST_MISSING} is not set", lines[0]);
        Assert.Contains("Set the environment variable or set the value in the file.", lines[0]);
        Assert.Contains("list element, which ${?LIST_MISSING} cannot leave out", lines[0]);
        Assert.DoesNotContain("to leave the field unset", lines[0]);
        Assert.StartsWith("line 2: ${FIELD_MISSING} is not set", lines[1]);
        Assert.Contains("write ${?FIELD_MISSING} to leave the field unset", lines[1]);
    }

    [Fact]
    public void RequiredVariable_ManyUsesStillListLaterOnes()
    {
        var text = string.Concat(Enumerable.Range(0, 120).Select(i => $"t{i} = ${{TOKEN_MISSING}}\n")) + "last = ${LATE_MISSING}\n";

        var lines = Problem(text).Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("line 1: ${TOKEN_MISSING} is not set", lines[0]);
        Assert.StartsWith("line 121: ${LATE_MISSING} is not set", lines[1]);
    }

    [Fact]
    public void RequiredVariables_ConcatenatedAllListed()
    {
        var lines = Problem("a = ${X_MISSING} ${Y_MISSING}\nb = ${Z_MISSING}\n").Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("line 1: ${X_MISSING} is not set", lines[0]);
        Assert.StartsWith("line 1: ${Y_MISSING} is not set", lines[1]);
        Assert.StartsWith("line 2: ${Z_MISSING} is not set", lines[2]);
    }

    [Fact]
    public void RequiredVariable_InConcatenationFixAddsNothing()
    {
        var problem = Problem("url = \"http://\"${HOST_MISSING}\"/x\"\n");

        Assert.Contains("Or write ${?HOST_MISSING}, which adds nothing to the text when the variable is not set.", problem);
        Assert.DoesNotContain("leave the field unset", problem);
    }

    [Fact]
    public void RequiredVariable_ReferenceToItsFieldNotListed()
    {
        var problem = Problem("base = ${BASE_MISSING}\nname = ${base}\n");

        var line = Assert.Single(problem.Split('\n'));
        Assert.StartsWith("line 1: ${BASE_MISSING} is not set", line);
    }

    [Fact]
    public void OptionalVariables_AllUnsetLeaveFieldOut()
    {
        var config = Parse("tags = before\ntags = ${?UNSET_A} ${?UNSET_B}\nregion = eu\nt { x = ${?UNSET_A}  ${?UNSET_B}, y = 2 }\n");

        Assert.Equal("before", config.GetString("tags"));
        Assert.Equal("eu", config.GetString("region"));
        Assert.False(config.HasPath("t.x"));
        Assert.Equal(2, config.GetInt("t.y"));
    }

    [Fact]
    public void UnsetOptional_PartlyQuotedKey()
    {
        var config = Parse("t.\"x.y\" = before\nt.\"x.y\" = ${?UNSET_A}\nt.\"x.z\" = ${?UNSET_A} ${?UNSET_B}\nt.url = \"u\"\n");

        Assert.Equal("before", config.GetString("t.\"x.y\""));
        Assert.False(config.HasPath("t.\"x.z\""));
        Assert.Equal("u", config.GetString("t.url"));
    }

    [Fact]
    public void UnsetOptional_ValueOnNextLine()
    {
        var problem = Problem("t {\n  \"x\" =\n    ${?UNSET_A}\n  \"auth\" = \"Basic s3cretValue\"\n}\n");

        Assert.StartsWith("line 3: ${?UNSET_A} is the whole value of its field", problem);
        Assert.Contains("Write them on one line", problem);
        Assert.DoesNotContain("s3cretValue", problem);
    }

    [Fact]
    public void EmptyVariable_ValueOnNextLine()
    {
        var config = Parse("a =\n  ${EMPTY}\nb = 2\n");

        Assert.Equal(string.Empty, config.GetString("a"));
        Assert.Equal(2, config.GetInt("b"));
    }

    [Fact]
    public void UnsetInList_ListedOncePerVariable()
    {
        var lines = Problem("y = ${X_MISSING}\nl = [ ${?X_MISSING}, ${?X_MISSING} ]\nm = [ ${?L_MISSING} ]\nn = [ ${?L_MISSING} ]\n").Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("line 1: ${X_MISSING} is not set", lines[0]);
        Assert.StartsWith("line 3: ${?L_MISSING} is in a list", lines[1]);
    }

    [Fact]
    public void OptionalPath_UnsetInListAdvisesFile()
    {
        var problem = Problem("l = [ ${?sel.col} ]\n");

        Assert.Contains("Set the value in this file", problem);
        Assert.DoesNotContain("environment variable sel.col", problem);
    }

    [Fact]
    public void OptionalVariables_OneSetOneUnsetConcatenate()
    {
        var config = Parse("tags = ${?HOST} ${?UNSET_B}\nregion = eu\n");

        Assert.Equal("api.example.test", config.GetString("tags").Trim());
        Assert.Equal("eu", config.GetString("region"));
    }

    [Fact]
    public void RequiredVariable_UnsetIsProblem()
    {
        var problem = Problem("a = \"x\\\"y\"\nb = \"escaped quote\\\\\"\nc = ${MISSING}\n");

        Assert.StartsWith("line 3: ${MISSING} is not set", problem);
        Assert.Contains("Set the environment variable", problem);
    }

    [Fact]
    public void FilePath_WinsOverEnvironment()
    {
        var config = Parse("HOST = local.test\nrequired = ${HOST}\noptional = ${?HOST}");

        Assert.Equal("local.test", config.GetString("required"));
        Assert.Equal("local.test", config.GetString("optional"));
    }

    [Fact]
    public void OptionalFilePath_ResolvesFromFile()
    {
        var config = Parse("defaults { port = 7000 }\nport = ${?defaults.port}\nmissing = ${?defaults.nothing}");

        Assert.Equal(7000, config.GetInt("port"));
        Assert.False(config.HasPath("missing"));
    }

    [Fact]
    public void QuotedTextAndComments_StayLiteral()
    {
        var config = Parse(""""
            # ${MISSING} in a comment
            // ${MISSING} in another comment
            quoted = "${HOST}"
            block = ${HOST}
            multi = """x ${MISSING} "y" z"""
            """");

        Assert.Equal("${HOST}", config.GetString("quoted"));
        Assert.Equal("api.example.test", config.GetString("block"));
        Assert.Equal("x ${MISSING} \"y\" z", config.GetString("multi"));
    }

    [Fact]
    public void SyntaxError_MasksVariableValues()
    {
        // Akka's parser rejects a comma after an object and quotes the whole line in its message.
        var exception = Assert.Throws<FormatException>(() => EnvironmentSubstitution.Parse("a { x = ${SECRET} }, b { y = 2 }", Lookup));

        Assert.Contains("a { x = \"***\" }", exception.Message);
        Assert.DoesNotContain(Variables["SECRET"], exception.ToString());
    }

    [Fact]
    public void PlusEquals_QuotedOrCommentParses()
    {
        var config = Parse("a = \"p+=q\" # b += c\n// d += e\n");

        Assert.Equal("p+=q", config.GetString("a"));
    }

    [Fact]
    public void NoSubstitutions_ParsesAsIs()
    {
        var config = Parse("a { b = 1 }");

        Assert.Equal(1, config.GetInt("a.b"));
    }

    [Theory]
    [InlineData("a = \"5s\nb = ${SECRET}\n", "line 1: a quoted string is not closed")]
    [InlineData("a = \"\"\"text\nb = ${SECRET}\n", "line 1: the multi-line string that starts with \"\"\" is not closed")]
    [InlineData("x = [ 1\ny = 1\n", "line 2: '=' stands directly in the list opened on line 1")]
    [InlineData("x = [ 1, 2\n", "line 1: the '[' opened here is not closed")]
    [InlineData("a { b = ${SECRET}\n", "line 1: the '{' opened here is not closed")]
    [InlineData("a = 1 }\nb = ${SECRET}\n", "line 1: '}' closes no '{'")]
    [InlineData("hosts = [ a ]\nhosts += b\n", "line 2: '+=' appends to a list in HOCON, but the node's HOCON parser reads it")]
    [InlineData("t {\n  hosts += \"b\"\n}\n", "line 2: '+=' appends to a list in HOCON")]
    [InlineData("a {\n  b = [ 1\n}\n", "line 3: '}' comes before the '[' opened on line 2 is closed; add the missing ']'")]
    public void UnclosedSyntax_IsProblemBeforeSubstitution(string text, string expected)
    {
        var problem = Problem(text);

        Assert.StartsWith(expected, problem);
        Assert.DoesNotContain(Variables["SECRET"], problem);
    }

    [Theory]
    [InlineData("p {\n  lookups = [ table = customers, as = c ]\n}\n", "line 2: '=' stands directly in the list opened on line 2")]
    [InlineData("a = [ : ]\n", "line 1: ':' stands directly in the list opened on line 1")]
    [InlineData("a = [ ? ]\n", "line 1: '?' cannot stand unquoted in a list")]
    [InlineData("a = [ $ ]\n", "line 1: '$' cannot stand unquoted in a list")]
    [InlineData("a = 1 = 2\nb = 3\n", "line 1: a second '=' in one field")]
    [InlineData("a = \"x\" = 2\n", "line 1: a second '=' in one field")]
    [InlineData("url = http://127.0.0.1/x\n", "line 1: a second ':' in one field")]
    public void MisplacedSeparator_IsProblem(string text, string expected)
    {
        var problem = Problem(text);

        Assert.StartsWith(expected, problem);
    }

    [Fact]
    public void Separators_InObjectsListsAndStrings()
    {
        var config = Parse("a { b = 1, c : 2 }\nd = [ { e = 1 }, { f = \"x=y:z\" } ]\ng = [ 1, 2 ]\nh = \"k = v\" # a = b = c\n");

        Assert.Equal(2, config.GetInt("a.c"));
        Assert.Equal(2, config.GetValue("d").GetArray().Count);
        Assert.Equal("x=y:z", config.GetValue("d").GetArray()[1].GetObject().Items["f"].GetString());
        Assert.Equal("k = v", config.GetString("h"));
    }

    [Theory]
    [InlineData("A = ${B}\nB = ${C}\nC = { x = ${A} }\n", "line 1: the substitutions ${B} on line 1 -> ${C} on line 2 -> ${A} on line 3 -> ${B} on line 1")]
    [InlineData("httpactors {\n  tables {\n    out { url = ${httpactors.tables.out} }\n  }\n}\n", "line 3: the substitutions")]
    [InlineData("A = ${B}\nB = ${A}\nurl = ${A}\n", "line 1: the substitutions ${B} on line 1 -> ${A} on line 2 -> ${B} on line 1 form a cycle")]
    public void SubstitutionCycle_IsProblem(string text, string expected)
    {
        var problem = Problem(text);

        Assert.StartsWith(expected, problem);
        Assert.Contains("form a cycle", problem);
    }

    [Fact]
    public void NestedSelfReference_Handled()
    {
        var problem = Problem("httpactors.tables.out { url = ${httpactors.tables.out.url} }\n");
        var config = Parse("a.b = 1\na { b = ${?a.b} }\n");

        Assert.StartsWith("line 1: ${httpactors.tables.out.url} refers to its own field", problem);
        Assert.Contains("Write ${?httpactors.tables.out.url}", problem);
        Assert.Equal(1, config.GetInt("a.b"));
    }

    [Fact]
    public void ReferencesWithoutCycle_Resolve()
    {
        var config = Parse("defaults { port = 8080 }\nserver { port = ${defaults.port}, url = \"http://h:\"${server.port} }\nlist = [ { a = ${defaults.port} } ]\n");

        Assert.Equal(8080, config.GetInt("server.port"));
        Assert.Equal("http://h:8080", config.GetString("server.url"));
    }

    [Fact]
    public void SelfReference_TakesEnvironmentOrEarlierValue()
    {
        var set = Parse("PORT = 8080\nPORT = ${?PORT}\nurl = \"http://h:\"${PORT}");
        var unset = Parse("MISSING = 8080\nMISSING = ${?MISSING}\nurl = \"http://h:\"${MISSING}");

        Assert.Equal("9000", set.GetString("PORT"));
        Assert.Equal("http://h:9000", set.GetString("url"));
        Assert.Equal("8080", unset.GetString("MISSING"));
        Assert.Equal("http://h:8080", unset.GetString("url"));
    }

    [Fact]
    public void SelfReference_RequiredUnsetIsProblem()
    {
        var problem = Problem("a = 1\na = ${a}\n");

        Assert.StartsWith("line 2: ${a} refers to its own field", problem);
    }

    [Theory]
    [InlineData("a = \"\"${HOST}\n")]
    [InlineData("a = ${HOST}\"\"\n")]
    [InlineData("a = \"x\"${?MISSING}\"\"\n")]
    public void EmptyStringBesideSubstitution_IsProblem(string text)
    {
        var problem = Problem(text);

        Assert.StartsWith("line 1: ${", problem);
        Assert.Contains("remove the empty string", problem);
    }

    [Fact]
    public void DottedPathUnset_AdvisesFile()
    {
        var problem = Problem("a = ${other.file.value}\n");

        Assert.StartsWith("line 1: ${other.file.value} is not set in this file", problem);
        Assert.Contains("only names of letters, digits and underscores are read from the environment", problem);
    }
}
