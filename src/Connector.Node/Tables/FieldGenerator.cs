using System.Globalization;
using Connector.Actors.Schema;

namespace Connector.Node.Tables;

/// <summary>Generates the values of one datagen column: a sequence from start to end, or random values.</summary>
internal sealed class FieldGenerator
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private readonly DataType _type;
    private readonly bool _sequence;
    private readonly decimal _start;
    private readonly decimal _end;
    private readonly double _min;
    private readonly double _max;
    private readonly int _length;
    private readonly TimeSpan _maxPast;
    private readonly double _nullRate;
    private readonly IReadOnlyDictionary<string, FieldGenerator> _nested;

    public FieldGenerator(DataType type, FieldGeneratorOptions options, IReadOnlyDictionary<string, FieldGenerator>? nested = null)
    {
        _type = type;
        _sequence = options.IsSequence;
        _start = options.Start;
        _end = options.End;
        _min = options.Min ?? DefaultMin(type.Kind);
        _max = options.Max ?? DefaultMax(type.Kind);
        _length = options.Length ?? (type.Kind == TypeKind.Array ? 3 : 100);
        _maxPast = options.MaxPast;
        _nullRate = options.NullRate;
        _nested = nested ?? new Dictionary<string, FieldGenerator>();
    }

    public bool IsSequence => _sequence;

    /// <summary>The number of values a sequence yields.</summary>
    public decimal SequenceLength => _sequence ? _end - _start + 1 : decimal.MaxValue;

    /// <summary>Returns the value for row <paramref name="index"/>, counting from 0.</summary>
    public object? Next(long index, Random random)
    {
        if (_sequence)
        {
            return FromNumber(_start + index);
        }

        if (_nullRate > 0 && random.NextDouble() < _nullRate)
        {
            return null;
        }

        return _type.Kind switch
        {
            TypeKind.String => RandomText(random, _length),
            TypeKind.Boolean => random.Next(2) == 1,
            TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int => (int)Math.Round(_min + (random.NextDouble() * (_max - _min))),
            TypeKind.BigInt => (long)Math.Round(_min + (random.NextDouble() * (_max - _min))),
            TypeKind.Float => (float)(_min + (random.NextDouble() * (_max - _min))),
            TypeKind.Double => _min + (random.NextDouble() * (_max - _min)),
            TypeKind.Decimal => Math.Round((decimal)(_min + (random.NextDouble() * (_max - _min))), _type.Scale),
            TypeKind.Date => DateOnly.FromDateTime(RandomPast(random)),
            TypeKind.Time => TimeOnly.FromDateTime(RandomPast(random)),
            TypeKind.Timestamp => RandomPast(random),
            TypeKind.TimestampLtz => new DateTimeOffset(RandomPast(random), TimeSpan.Zero),
            TypeKind.Bytes => RandomBytes(random, _length),
            TypeKind.Array => Enumerable.Range(0, _length).Select(i => Element(random)).ToArray(),
            TypeKind.Map => new Dictionary<string, object?> { [RandomText(random, 8)] = Element(random) },
            TypeKind.Row => NestedRow(index, random),
            _ => null,
        };
    }

    private object? FromNumber(decimal value) => _type.Kind switch
    {
        TypeKind.String => value.ToString(CultureInfo.InvariantCulture),
        TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int => (int)value,
        TypeKind.BigInt => (long)value,
        TypeKind.Float => (float)value,
        TypeKind.Double => (double)value,
        TypeKind.Decimal => value,
        _ => throw new InvalidOperationException($"A sequence cannot generate {_type}."),
    };

    private object? Element(Random random)
    {
        var element = new FieldGenerator(_type.ElementType!, FieldGeneratorOptions.Random);
        return element.Next(0, random);
    }

    private Row NestedRow(long index, Random random)
    {
        var rowType = _type.RowType!;
        var values = new object?[rowType.Count];
        for (var i = 0; i < rowType.Count; i++)
        {
            var generator = _nested.TryGetValue(rowType[i].Name, out var configured)
                ? configured
                : new FieldGenerator(rowType[i].Type, FieldGeneratorOptions.Random);
            values[i] = generator.Next(index, random);
        }

        return new Row(rowType, values);
    }

    private DateTime RandomPast(Random random)
    {
        var now = DateTime.UtcNow;
        var past = TimeSpan.FromTicks((long)(random.NextDouble() * _maxPast.Ticks));
        var value = now - past;
        return new DateTime(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Unspecified);
    }

    private static string RandomText(Random random, int length) =>
        string.Create(length, random, (span, rng) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[rng.Next(Alphabet.Length)];
            }
        });

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static double DefaultMin(TypeKind kind) => kind switch
    {
        TypeKind.TinyInt => sbyte.MinValue,
        TypeKind.SmallInt => short.MinValue,
        TypeKind.Int => int.MinValue,
        TypeKind.BigInt => -9.0e15,
        _ => 0,
    };

    private static double DefaultMax(TypeKind kind) => kind switch
    {
        TypeKind.TinyInt => sbyte.MaxValue,
        TypeKind.SmallInt => short.MaxValue,
        TypeKind.Int => int.MaxValue,
        TypeKind.BigInt => 9.0e15,
        TypeKind.Float or TypeKind.Double or TypeKind.Decimal => 1000,
        _ => 0,
    };
}
