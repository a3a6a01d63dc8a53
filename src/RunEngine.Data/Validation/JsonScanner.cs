using System.Buffers;

namespace RunEngine.Data.Validation;

/// <summary>
/// One pass over a JSON document held as UTF-16, iterative (a 64-bit stack of container kinds, no recursion), that
/// stops at the first thing PostgreSQL's jsonb would reject. Used through <see cref="JsonText"/>.
/// </summary>
internal ref struct JsonScanner
{
    /// <summary>What ends a run of plain string characters: the quote, a backslash or a control character.</summary>
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    private readonly ReadOnlySpan<char> _text;
    private int _pos;
    private int _depth;
    private ulong _objects; // bit (depth - 1) set: the container at that depth is an object

    public JsonScanner(string text)
    {
        _text = text.AsSpan();
    }

    /// <summary>The UTF-16 index of the problem <see cref="Scan"/> returned.</summary>
    public int ErrorIndex { get; private set; }

    /// <summary>Reads the whole document; returns the first problem (its index in <see cref="ErrorIndex"/>) or <see cref="JsonProblem.None"/>.</summary>
    public JsonProblem Scan()
    {
        SkipWhiteSpace();
        if (_pos == _text.Length)
        {
            return Fail(JsonProblem.Empty, 0);
        }

        while (true)
        {
            // A value is expected at _pos (white space skipped).
            var problem = ScanValue(out var opened);
            if (problem != JsonProblem.None)
            {
                return problem;
            }

            if (opened)
            {
                continue;
            }

            // After a complete value: close containers, or find the next value after ','.
            while (true)
            {
                SkipWhiteSpace();
                if (_depth == 0)
                {
                    return _pos == _text.Length ? JsonProblem.None : Fail(JsonProblem.TrailingText, _pos);
                }

                if (_pos == _text.Length)
                {
                    return Fail(JsonProblem.UnexpectedEnd, _pos);
                }

                var inObject = InObject;
                var c = _text[_pos];
                if (c == (inObject ? '}' : ']'))
                {
                    _pos++;
                    _depth--;
                    continue;
                }

                if (c != ',')
                {
                    return Fail(JsonProblem.ExpectedCommaOrEnd, _pos);
                }

                _pos++;
                SkipWhiteSpace();
                if (inObject)
                {
                    problem = ScanKey();
                    if (problem != JsonProblem.None)
                    {
                        return problem;
                    }
                }

                break;
            }
        }
    }

    private readonly bool InObject => (_objects & (1UL << (_depth - 1))) != 0;

    /// <summary>Scans one value at _pos; an opened container that is not empty leaves <paramref name="opened"/> true and _pos at its first value.</summary>
    private JsonProblem ScanValue(out bool opened)
    {
        opened = false;
        if (_pos == _text.Length)
        {
            return Fail(JsonProblem.UnexpectedEnd, _pos);
        }

        var c = _text[_pos];
        switch (c)
        {
            case '{':
            case '[':
                if (_depth == JsonText.MaxDepth)
                {
                    return Fail(JsonProblem.TooDeep, _pos);
                }

                _depth++;
                var isObject = c == '{';
                _objects = isObject ? _objects | (1UL << (_depth - 1)) : _objects & ~(1UL << (_depth - 1));
                _pos++;
                SkipWhiteSpace();
                if (_pos < _text.Length && _text[_pos] == (isObject ? '}' : ']'))
                {
                    _pos++;
                    _depth--;
                    return JsonProblem.None;
                }

                opened = true;
                return isObject ? ScanKey() : JsonProblem.None;
            case '"':
                return ScanString();
            case 't':
                return ScanLiteral("true");
            case 'f':
                return ScanLiteral("false");
            case 'n':
                return ScanLiteral("null");
            default:
                return c == '-' || char.IsAsciiDigit(c) ? ScanNumber() : Fail(JsonProblem.UnexpectedCharacter, _pos);
        }
    }

    /// <summary>Scans an object key and its ':' at _pos, leaving _pos at the member's value.</summary>
    private JsonProblem ScanKey()
    {
        if (_pos == _text.Length)
        {
            return Fail(JsonProblem.UnexpectedEnd, _pos);
        }

        if (_text[_pos] != '"')
        {
            return Fail(JsonProblem.ExpectedKey, _pos);
        }

        var problem = ScanString();
        if (problem != JsonProblem.None)
        {
            return problem;
        }

        SkipWhiteSpace();
        if (_pos == _text.Length)
        {
            return Fail(JsonProblem.UnexpectedEnd, _pos);
        }

        if (_text[_pos] != ':')
        {
            return Fail(JsonProblem.ExpectedColon, _pos);
        }

        _pos++;
        SkipWhiteSpace();
        return JsonProblem.None;
    }

    private JsonProblem ScanLiteral(string word)
    {
        if (!_text[_pos..].StartsWith(word, StringComparison.Ordinal))
        {
            return Fail(JsonProblem.InvalidLiteral, _pos);
        }

        _pos += word.Length;
        return JsonProblem.None;
    }

    /// <summary>Scans a string at its opening quote, with jsonb's escape rules (no \u0000, surrogate escapes in pairs).</summary>
    private JsonProblem ScanString()
    {
        var start = _pos;
        _pos++;
        var pendingHigh = -1; // index of a high-surrogate escape waiting for its low half
        while (true)
        {
            var run = _text[_pos..].IndexOfAny(StringSpecials);
            if (run < 0)
            {
                return Fail(JsonProblem.UnterminatedString, start);
            }

            if (run > 0)
            {
                if (pendingHigh >= 0)
                {
                    return Fail(JsonProblem.UnpairedHighSurrogateEscape, pendingHigh);
                }

                _pos += run;
            }

            var c = _text[_pos];
            if (c == '"')
            {
                if (pendingHigh >= 0)
                {
                    return Fail(JsonProblem.UnpairedHighSurrogateEscape, pendingHigh);
                }

                _pos++;
                return JsonProblem.None;
            }

            if (c != '\\')
            {
                return Fail(JsonProblem.ControlCharacter, _pos);
            }

            if (_pos + 1 == _text.Length)
            {
                return Fail(JsonProblem.UnterminatedString, start);
            }

            var escape = _text[_pos + 1];
            if (escape != 'u')
            {
                if (pendingHigh >= 0)
                {
                    return Fail(JsonProblem.UnpairedHighSurrogateEscape, pendingHigh);
                }

                if (escape is not ('"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't'))
                {
                    return Fail(JsonProblem.InvalidEscape, _pos);
                }

                _pos += 2;
                continue;
            }

            if (_pos + 6 > _text.Length || !TryHex(_text.Slice(_pos + 2, 4), out var unit))
            {
                return Fail(JsonProblem.InvalidUnicodeEscape, _pos);
            }

            if (unit == 0)
            {
                return Fail(JsonProblem.NulEscape, _pos);
            }

            if (char.IsHighSurrogate((char)unit))
            {
                if (pendingHigh >= 0)
                {
                    return Fail(JsonProblem.UnpairedHighSurrogateEscape, pendingHigh);
                }

                pendingHigh = _pos;
            }
            else if (char.IsLowSurrogate((char)unit))
            {
                if (pendingHigh < 0)
                {
                    return Fail(JsonProblem.UnpairedLowSurrogateEscape, _pos);
                }

                pendingHigh = -1;
            }
            else if (pendingHigh >= 0)
            {
                return Fail(JsonProblem.UnpairedHighSurrogateEscape, pendingHigh);
            }

            _pos += 6;
        }
    }

    /// <summary>Scans a number and checks it against PostgreSQL numeric's range (see <see cref="JsonText"/>).</summary>
    private JsonProblem ScanNumber()
    {
        var start = _pos;
        if (_text[_pos] == '-')
        {
            _pos++;
        }

        if (_pos == _text.Length || !char.IsAsciiDigit(_text[_pos]))
        {
            return Fail(JsonProblem.InvalidNumber, start);
        }

        var integerStart = _pos;
        if (_text[_pos] == '0')
        {
            _pos++;
            if (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                return Fail(JsonProblem.InvalidNumber, start);
            }
        }
        else
        {
            _pos = SkipDigits(_pos);
        }

        var integerDigits = _pos - integerStart;
        var integerIsZero = _text[integerStart] == '0';
        var fractionDigits = 0;
        var firstNonZeroFraction = -1;
        if (_pos < _text.Length && _text[_pos] == '.')
        {
            var fractionStart = _pos + 1;
            _pos = SkipDigits(fractionStart);
            fractionDigits = _pos - fractionStart;
            if (fractionDigits == 0)
            {
                return Fail(JsonProblem.InvalidNumber, start);
            }

            if (integerIsZero)
            {
                firstNonZeroFraction = _text.Slice(fractionStart, fractionDigits).IndexOfAnyExcept('0');
            }
        }

        long exponent = 0;
        if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
        {
            _pos++;
            var negative = false;
            if (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-'))
            {
                negative = _text[_pos] == '-';
                _pos++;
            }

            var exponentStart = _pos;
            _pos = SkipDigits(_pos);
            if (_pos == exponentStart)
            {
                return Fail(JsonProblem.InvalidNumber, start);
            }

            foreach (var digit in _text[exponentStart.._pos])
            {
                // Saturates well above the limit: leading zeros are allowed, overflow is not.
                exponent = Math.Min(exponent * 10 + (digit - '0'), 100L * JsonText.ExponentLimit);
            }

            exponent = negative ? -exponent : exponent;
        }

        // PostgreSQL's numeric input: the exponent first, then the display scale, then the weight (zero has none).
        if (exponent >= JsonText.ExponentLimit || exponent <= -JsonText.ExponentLimit)
        {
            return Fail(JsonProblem.ExponentOutOfRange, start);
        }

        if (fractionDigits - exponent > JsonText.MaxFractionDigits)
        {
            return Fail(JsonProblem.NumberTooPrecise, start);
        }

        var isZero = integerIsZero && firstNonZeroFraction < 0;
        if (!isZero)
        {
            // The power of ten of the leading significant digit.
            var leading = integerIsZero ? exponent - (firstNonZeroFraction + 1) : exponent + integerDigits - 1;
            if (leading >= JsonText.MaxIntegerDigits)
            {
                return Fail(JsonProblem.NumberTooLarge, start);
            }
        }

        return JsonProblem.None;
    }

    private readonly int SkipDigits(int from)
    {
        var rest = _text[from..].IndexOfAnyExceptInRange('0', '9');
        return rest < 0 ? _text.Length : from + rest;
    }

    private static bool TryHex(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    private void SkipWhiteSpace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
        {
            _pos++;
        }
    }

    private JsonProblem Fail(JsonProblem problem, int index)
    {
        ErrorIndex = index;
        return problem;
    }
}
