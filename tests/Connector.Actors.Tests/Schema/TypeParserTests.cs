using Connector.Actors.Schema;

namespace Connector.Actors.Tests.Schema;

/// <summary>Tests of the column list and type parser for Flink's SQL type syntax.</summary>
public sealed class TypeParserTests
{
    [Theory]
    [InlineData("STRING", TypeKind.String)]
    [InlineData("VARCHAR(10)", TypeKind.String)]
    [InlineData("CHAR(3)", TypeKind.String)]
    [InlineData("BOOLEAN", TypeKind.Boolean)]
    [InlineData("TINYINT", TypeKind.TinyInt)]
    [InlineData("SMALLINT", TypeKind.SmallInt)]
    [InlineData("INT", TypeKind.Int)]
    [InlineData("INTEGER", TypeKind.Int)]
    [InlineData("BIGINT", TypeKind.BigInt)]
    [InlineData("FLOAT", TypeKind.Float)]
    [InlineData("DOUBLE", TypeKind.Double)]
    [InlineData("DOUBLE PRECISION", TypeKind.Double)]
    [InlineData("DECIMAL(10, 2)", TypeKind.Decimal)]
    [InlineData("DATE", TypeKind.Date)]
    [InlineData("TIME", TypeKind.Time)]
    [InlineData("TIMESTAMP(3)", TypeKind.Timestamp)]
    [InlineData("TIMESTAMP_LTZ(3)", TypeKind.TimestampLtz)]
    [InlineData("BYTES", TypeKind.Bytes)]
    [InlineData("VARBINARY(16)", TypeKind.Bytes)]
    [InlineData("ARRAY<INT>", TypeKind.Array)]
    [InlineData("MAP<STRING, INT>", TypeKind.Map)]
    [InlineData("ROW<a INT>", TypeKind.Row)]
    public void ParseType_Kind(string text, TypeKind expected)
    {
        var type = TypeParser.ParseType(text);

        Assert.Equal(expected, type.Kind);
        Assert.True(type.IsNullable);
    }

    [Theory]
    [InlineData("STRING", "STRING")]
    [InlineData("VARCHAR(10)", "STRING")]
    [InlineData("BOOLEAN", "BOOLEAN")]
    [InlineData("INT", "INT")]
    [InlineData("INTEGER", "INT")]
    [InlineData("BIGINT", "BIGINT")]
    [InlineData("DOUBLE", "DOUBLE")]
    [InlineData("DECIMAL(10, 2)", "DECIMAL(10, 2)")]
    [InlineData("DECIMAL", "DECIMAL(10, 0)")]
    [InlineData("DECIMAL(7)", "DECIMAL(7, 0)")]
    [InlineData("DATE", "DATE")]
    [InlineData("TIMESTAMP", "TIMESTAMP(6)")]
    [InlineData("TIMESTAMP(3)", "TIMESTAMP(3)")]
    [InlineData("TIMESTAMP_LTZ(3)", "TIMESTAMP_LTZ(3)")]
    [InlineData("ARRAY<INT>", "ARRAY<INT>")]
    [InlineData("MAP<STRING, ARRAY<STRING>>", "MAP<STRING, ARRAY<STRING>>")]
    [InlineData("ROW<isActive BOOLEAN, nestedDetails ROW<balance STRING>>", "ROW<isActive BOOLEAN, nestedDetails ROW<balance STRING>>")]
    [InlineData("ROW(a INT, b STRING)", "ROW<a INT, b STRING>")]
    [InlineData("INT NOT NULL", "INT NOT NULL")]
    [InlineData("INT NULL", "INT")]
    public void ParseType_ToString(string text, string expected)
    {
        Assert.Equal(expected, TypeParser.ParseType(text).ToString());
    }

    [Fact]
    public void ParseType_VarcharLength()
    {
        var type = TypeParser.ParseType("VARCHAR(10)");

        Assert.Equal(TypeKind.String, type.Kind);
        Assert.Equal(10, type.Precision);
    }

    [Fact]
    public void ParseType_DecimalPrecisionScale()
    {
        var type = TypeParser.ParseType("DECIMAL(10, 2)");

        Assert.Equal(10, type.Precision);
        Assert.Equal(2, type.Scale);
    }

    [Theory]
    [InlineData("TIMESTAMP(3)", 3)]
    [InlineData("TIMESTAMP(0)", 0)]
    [InlineData("TIMESTAMP(9)", 9)]
    [InlineData("TIMESTAMP", 6)]
    [InlineData("TIMESTAMP_LTZ(3)", 3)]
    [InlineData("TIMESTAMP_LTZ", 6)]
    public void ParseType_TimestampPrecision(string text, int expected)
    {
        Assert.Equal(expected, TypeParser.ParseType(text).Precision);
    }

    [Fact]
    public void ParseType_ArrayElement()
    {
        var type = TypeParser.ParseType("ARRAY<INT>");

        Assert.Equal(TypeKind.Int, type.ElementType!.Kind);
        Assert.Null(type.KeyType);
        Assert.Null(type.RowType);
    }

    [Fact]
    public void ParseType_MapOfArrays()
    {
        var type = TypeParser.ParseType("MAP<STRING, ARRAY<STRING>>");

        Assert.Equal(TypeKind.Map, type.Kind);
        Assert.Equal(TypeKind.String, type.KeyType!.Kind);
        Assert.Equal(TypeKind.Array, type.ElementType!.Kind);
        Assert.Equal(TypeKind.String, type.ElementType.ElementType!.Kind);
    }

    [Fact]
    public void ParseColumns_NestedRow()
    {
        var columns = TypeParser.ParseColumns(
            "id STRING, details ROW<isActive BOOLEAN, nestedDetails ROW<balance STRING>>");

        Assert.Equal(2, columns.Count);
        Assert.Equal("id", columns[0].Name);
        Assert.Equal(TypeKind.String, columns[0].Type.Kind);
        Assert.Equal("details", columns[1].Name);

        var details = columns[1].Type.RowType!;
        Assert.Equal(2, details.Count);
        Assert.Equal("isActive", details[0].Name);
        Assert.Equal(TypeKind.Boolean, details[0].Type.Kind);
        Assert.Equal("nestedDetails", details[1].Name);

        var nested = details[1].Type.RowType!;
        Assert.Single(nested.Fields);
        Assert.Equal("balance", nested[0].Name);
        Assert.Equal(TypeKind.String, nested[0].Type.Kind);
    }

    [Fact]
    public void ParseType_NotNullAtEachDepth()
    {
        var type = TypeParser.ParseType("ARRAY<ROW<a INT NOT NULL, b MAP<STRING NOT NULL, INT>> NOT NULL> NOT NULL");

        Assert.False(type.IsNullable);
        var row = type.ElementType!;
        Assert.False(row.IsNullable);
        Assert.False(row.RowType![0].Type.IsNullable);
        var map = row.RowType[1].Type;
        Assert.True(map.IsNullable);
        Assert.False(map.KeyType!.IsNullable);
        Assert.True(map.ElementType!.IsNullable);
    }

    [Fact]
    public void ParseColumns_NotNullColumn()
    {
        var columns = TypeParser.ParseColumns("id STRING NOT NULL, name STRING");

        Assert.False(columns[0].Type.IsNullable);
        Assert.True(columns[1].Type.IsNullable);
    }

    [Theory]
    [InlineData("array<int not null> not null", "ARRAY<INT NOT NULL> NOT NULL")]
    [InlineData("Decimal(5, 1)", "DECIMAL(5, 1)")]
    [InlineData("timestamp_ltz(3)", "TIMESTAMP_LTZ(3)")]
    [InlineData("map<string, Array<String>>", "MAP<STRING, ARRAY<STRING>>")]
    [InlineData("row<isActive boolean>", "ROW<isActive BOOLEAN>")]
    [InlineData("Row<A Int> Not Null", "ROW<A INT> NOT NULL")]
    public void ParseType_CaseInsensitive(string text, string expected)
    {
        Assert.Equal(expected, TypeParser.ParseType(text).ToString());
    }

    [Fact]
    public void ParseColumns_ColumnNamesKeepCase()
    {
        var columns = TypeParser.ParseColumns("Id STRING, id INT");

        Assert.Equal("Id", columns[0].Name);
        Assert.Equal("id", columns[1].Name);
        Assert.Equal(1, columns.IndexOf("id"));
        Assert.Equal(-1, columns.IndexOf("ID"));
    }

    [Fact]
    public void ParseColumns_BackquotedNames()
    {
        var columns = TypeParser.ParseColumns("`user id` STRING, `select` INT, `a.b` ROW<`inner-name` BOOLEAN>");

        Assert.Equal("user id", columns[0].Name);
        Assert.Equal("select", columns[1].Name);
        Assert.Equal("a.b", columns[2].Name);
        Assert.Equal("inner-name", columns[2].Type.RowType![0].Name);
    }

    [Fact]
    public void ParseColumns_MetadataColumn()
    {
        var columns = TypeParser.ParseColumns("id STRING, status INT METADATA FROM 'http-status-code'");

        Assert.Null(columns[0].MetadataKey);
        Assert.False(columns[0].IsMetadata);
        Assert.Equal("http-status-code", columns[1].MetadataKey);
        Assert.True(columns[1].IsMetadata);
        Assert.Equal(TypeKind.Int, columns[1].Type.Kind);
        Assert.Equal(2, columns.Count);
        Assert.Equal(1, columns.PhysicalCount);
    }

    [Theory]
    [InlineData("status INT METADATA FROM 'http-status-code' VIRTUAL, id STRING")]
    [InlineData("status INT metadata from 'http-status-code' virtual, id STRING")]
    [InlineData("status INT NOT NULL METADATA FROM 'http-status-code', id STRING")]
    public void ParseColumns_MetadataVariants(string text)
    {
        var columns = TypeParser.ParseColumns(text);

        Assert.Equal("http-status-code", columns[0].MetadataKey);
        Assert.Equal("id", columns[1].Name);
        Assert.Null(columns[1].MetadataKey);
    }

    [Fact]
    public void ParseColumns_MetadataInsideRowRejected()
    {
        var exception = Assert.Throws<TypeSyntaxException>(
            () => TypeParser.ParseColumns("details ROW<status INT METADATA FROM 'http-status-code'>"));

        Assert.Contains("metadata columns are allowed only at the top level", exception.Message);
    }

    [Fact]
    public void ParseColumns_MetadataWithoutFrom()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("status INT METADATA"));

        Assert.Contains("expected FROM 'key' after METADATA", exception.Message);
    }

    [Fact]
    public void ParseColumns_MetadataKeyUnterminated()
    {
        var exception = Assert.Throws<TypeSyntaxException>(
            () => TypeParser.ParseColumns("status INT METADATA FROM 'http-status-code"));

        Assert.Contains("unterminated metadata key", exception.Message);
    }

    [Theory]
    [InlineData("id STRING NOT NULL, amount DECIMAL(10, 2), ts TIMESTAMP(3), tags ARRAY<STRING>, " +
        "headers MAP<STRING, ARRAY<STRING>> METADATA FROM 'http-headers', " +
        "details ROW<isActive BOOLEAN NOT NULL, nestedDetails ROW<balance STRING>>")]
    [InlineData("status INT METADATA FROM 'http-status-code', at TIMESTAMP_LTZ(3), day DATE, raw BYTES")]
    [InlineData("`user id` STRING, `a.b` ROW<`inner-name` INT>")]
    public void ToString_RoundTrip(string text)
    {
        var columns = TypeParser.ParseColumns(text);
        var printed = columns.ToString();
        var reparsed = TypeParser.ParseColumns(printed);

        Assert.Equal(printed, reparsed.ToString());
        Assert.Equal(columns.Count, reparsed.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            Assert.Equal(columns[i].Name, reparsed[i].Name);
            Assert.Equal(columns[i].MetadataKey, reparsed[i].MetadataKey);
            Assert.Equal(columns[i].Type.ToString(), reparsed[i].Type.ToString());
        }
    }

    [Fact]
    public void ToString_CanonicalText()
    {
        var columns = TypeParser.ParseColumns(
            "id  string not null ,amount decimal(10,2),status int metadata from 'http-status-code' virtual");

        Assert.Equal("id STRING NOT NULL, amount DECIMAL(10, 2), status INT METADATA FROM 'http-status-code'", columns.ToString());
    }

    [Fact]
    public void ToString_QuotesNamesThatNeedIt()
    {
        var columns = TypeParser.ParseColumns("`user id` STRING, plain_name$1 INT");

        Assert.Equal("`user id` STRING, plain_name$1 INT", columns.ToString());
    }

    [Fact]
    public void ParseColumns_UnknownType()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("id STRNG, n INT"));

        Assert.Contains("Unknown type 'STRNG' at position 4 in 'id STRNG, n INT'", exception.Message);
        Assert.Contains("Supported types:", exception.Message);
    }

    [Fact]
    public void ParseType_UnknownNestedType()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseType("ARRAY<UUID>"));

        Assert.Contains("Unknown type 'UUID' at position 7 in 'ARRAY<UUID>'", exception.Message);
    }

    [Fact]
    public void ParseColumns_UnclosedRow()
    {
        var exception = Assert.Throws<TypeSyntaxException>(
            () => TypeParser.ParseColumns("details ROW<isActive BOOLEAN"));

        Assert.Contains("position 29 (the end of the text)", exception.Message);
        Assert.Contains("'details ROW<isActive BOOLEAN'", exception.Message);
        Assert.Contains("expected '>'", exception.Message);
    }

    [Fact]
    public void ParseColumns_EmptyRow()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("details ROW<"));

        Assert.Contains("position 13 (the end of the text)", exception.Message);
        Assert.Contains("expected a column name", exception.Message);
    }

    [Fact]
    public void ParseType_UnclosedArray()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseType("ARRAY<INT"));

        Assert.Contains("position 10 (the end of the text)", exception.Message);
        Assert.Contains("expected '>'", exception.Message);
    }

    [Fact]
    public void ParseType_DecimalPrecisionTooLarge()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseType("DECIMAL(40, 2)"));

        Assert.Contains("position 9 ('4') in 'DECIMAL(40, 2)'", exception.Message);
        Assert.Contains("DECIMAL precision 40 is out of range 1..38", exception.Message);
    }

    [Fact]
    public void ParseType_DecimalPrecisionZero()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseType("DECIMAL(0)"));

        Assert.Contains("DECIMAL precision 0 is out of range 1..38", exception.Message);
    }

    [Fact]
    public void ParseType_DecimalScaleAbovePrecision()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseType("DECIMAL(5, 6)"));

        Assert.Contains("position 12 ('6') in 'DECIMAL(5, 6)'", exception.Message);
        Assert.Contains("DECIMAL scale 6 must be between 0 and the precision 5", exception.Message);
    }

    [Fact]
    public void ParseType_TimestampPrecisionTooLarge()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseType("TIMESTAMP(10)"));

        Assert.Contains("position 11 ('1') in 'TIMESTAMP(10)'", exception.Message);
        Assert.Contains("TIMESTAMP precision 10 is out of range 0..9", exception.Message);
    }

    [Fact]
    public void ParseColumns_DuplicateColumn()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("id STRING, msg STRING, id INT"));

        Assert.Contains("Duplicate column name 'id' at position 24 in 'id STRING, msg STRING, id INT'", exception.Message);
    }

    [Fact]
    public void ParseColumns_DuplicateNestedField()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("r ROW<a INT, a STRING>"));

        Assert.Contains("Duplicate column name 'a' at position 14", exception.Message);
    }

    [Fact]
    public void ParseColumns_SameNameInDifferentRows()
    {
        var columns = TypeParser.ParseColumns("a INT, r ROW<a STRING>");

        Assert.Equal("a", columns[0].Name);
        Assert.Equal("a", columns[1].Type.RowType![0].Name);
    }

    [Fact]
    public void ParseColumns_TrailingComma()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("id STRING,"));

        Assert.Contains("position 11 (the end of the text) in 'id STRING,'", exception.Message);
        Assert.Contains("expected a column name", exception.Message);
    }

    [Fact]
    public void ParseColumns_TrailingCommaInRow()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("r ROW<a INT, >"));

        Assert.Contains("position 14 ('>') in 'r ROW<a INT, >'", exception.Message);
        Assert.Contains("expected a column name", exception.Message);
    }

    [Fact]
    public void ParseColumns_RowWithoutFields()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("r ROW<>"));

        Assert.Contains("expected at least one column", exception.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ParseColumns_EmptyText(string text)
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns(text));

        Assert.Contains($"position {text.Length + 1} (the end of the text)", exception.Message);
        Assert.Contains("expected a column name", exception.Message);
    }

    [Fact]
    public void ParseType_EmptyText()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseType(""));

        Assert.Contains("expected a type name", exception.Message);
    }

    [Fact]
    public void ParseColumns_MissingType()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("id, name STRING"));

        Assert.Contains("position 3 (',')", exception.Message);
        Assert.Contains("expected a type name", exception.Message);
    }

    [Fact]
    public void ParseColumns_MissingComma()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("id STRING name STRING"));

        Assert.Contains("position 11 ('n')", exception.Message);
        Assert.Contains("expected ',' or the end of the column list", exception.Message);
    }

    [Fact]
    public void ParseType_TextAfterType()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseType("INT extra"));

        Assert.Contains("position 5 ('e')", exception.Message);
        Assert.Contains("unexpected text after the type", exception.Message);
    }

    [Fact]
    public void ParseType_NotWithoutNull()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseType("INT NOT"));

        Assert.Contains("expected NULL after NOT", exception.Message);
    }

    [Fact]
    public void ParseType_MapWithOneArgument()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseType("MAP<STRING>"));

        Assert.Contains("position 11 ('>')", exception.Message);
        Assert.Contains("expected ','", exception.Message);
    }

    [Fact]
    public void ParseColumns_UnterminatedQuotedName()
    {
        var exception = Assert.Throws<TypeSyntaxException>(() => TypeParser.ParseColumns("`id STRING"));

        Assert.Contains("unterminated quoted name", exception.Message);
    }

    [Fact]
    public void ParseColumns_NullText()
    {
        Assert.Throws<ArgumentNullException>(() => TypeParser.ParseColumns(null!));
    }
}
