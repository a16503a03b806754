namespace Connector.Actors.Schema;

/// <summary>The logical type families of Flink's SQL type syntax that tables may declare.</summary>
public enum TypeKind
{
    /// <summary>Text: <c>STRING</c>, <c>VARCHAR(n)</c>, <c>CHAR(n)</c>.</summary>
    String,

    /// <summary><c>BOOLEAN</c>.</summary>
    Boolean,

    /// <summary><c>TINYINT</c>, from -128 to 127, stored as <see cref="int"/>.</summary>
    TinyInt,

    /// <summary><c>SMALLINT</c>, from -32768 to 32767, stored as <see cref="int"/>.</summary>
    SmallInt,

    /// <summary><c>INT</c> or <c>INTEGER</c>, stored as <see cref="int"/>.</summary>
    Int,

    /// <summary><c>BIGINT</c>, stored as <see cref="long"/>.</summary>
    BigInt,

    /// <summary><c>FLOAT</c>, stored as <see cref="float"/>.</summary>
    Float,

    /// <summary><c>DOUBLE</c>, stored as <see cref="double"/>.</summary>
    Double,

    /// <summary><c>DECIMAL(p, s)</c>, stored as <see cref="decimal"/>.</summary>
    Decimal,

    /// <summary><c>DATE</c>, stored as <see cref="DateOnly"/>.</summary>
    Date,

    /// <summary><c>TIME(p)</c>, stored as <see cref="TimeOnly"/>.</summary>
    Time,

    /// <summary><c>TIMESTAMP(p)</c> without time zone, stored as <see cref="DateTime"/>.</summary>
    Timestamp,

    /// <summary><c>TIMESTAMP_LTZ(p)</c>, stored as <see cref="DateTimeOffset"/>.</summary>
    TimestampLtz,

    /// <summary><c>BYTES</c> or <c>VARBINARY</c>, stored as a byte array and written as Base64.</summary>
    Bytes,

    /// <summary><c>ARRAY&lt;T&gt;</c>, stored as an object array.</summary>
    Array,

    /// <summary><c>MAP&lt;K, V&gt;</c>, stored as a dictionary keyed by the key's text.</summary>
    Map,

    /// <summary><c>ROW&lt;name T, ...&gt;</c>, stored as a <see cref="Row"/>.</summary>
    Row,
}
