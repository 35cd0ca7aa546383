using System.Globalization;

namespace AdoBridge.Emulator;

/// <summary>Recursive-descent parser for flat WIQL. OR binds looser than AND; parentheses group; NOT negates a group
/// or an operator (NOT IN, NOT CONTAINS, NOT UNDER).</summary>
internal sealed class WiqlParser
{
    private readonly List<WiqlToken> _tokens;
    private int _at;
    private bool _links;

    private WiqlParser(List<WiqlToken> tokens) => _tokens = tokens;

    private WiqlToken Current => _tokens[_at];

    public static WiqlQuery Parse(string text)
    {
        var parser = new WiqlParser(WiqlTokenizer.Tokenize(text));
        return parser.Query();
    }

    private WiqlQuery Query()
    {
        Expect("SELECT", "SELECT");
        var columns = new List<WorkItemField> { Field() };
        while (Accept(","))
        {
            columns.Add(Field());
        }

        if (!Current.Is("FROM"))
        {
            throw new WiqlException($"TF51006: The query statement is missing a FROM clause. The error is caused by «{Current.Display}».");
        }

        _at++;
        var source = Current;
        if (!source.Is("WorkItems") && !source.Is("WorkItemLinks"))
        {
            throw new WiqlException($"TF51006: Expecting WorkItems or WorkItemLinks. The error is caused by «{source.Display}».");
        }

        _links = source.Is("WorkItemLinks");
        _at++;
        WiqlCondition? where = null;
        if (Accept("WHERE"))
        {
            where = Or();
        }

        var order = new List<WiqlSort>();
        if (Accept("ORDER"))
        {
            Expect("BY", "BY");
            do
            {
                var field = Field();
                var descending = Accept("DESC");
                if (!descending)
                {
                    Accept("ASC");
                }

                order.Add(new WiqlSort(field, descending));
            }
            while (Accept(","));
        }

        if (Accept("ASOF"))
        {
            Literal();
        }

        var mode = "MustContain";
        if (Accept("MODE"))
        {
            Expect("(", "'('");
            var modes = new List<string> { Current.Text };
            _at++;
            while (Accept(","))
            {
                modes.Add(Current.Text);
                _at++;
            }

            Expect(")", "')'");
            string[] known = ["MustContain", "MayContain", "DoesNotContain", "Recursive"];
            mode = known.FirstOrDefault(k => modes.Any(m => m.Equals(k, StringComparison.OrdinalIgnoreCase)))
                ?? throw new WiqlException($"TF51006: Expecting MustContain, MayContain, DoesNotContain or Recursive. The error is caused by «{modes[0]}».");
            if (!_links)
            {
                throw new WiqlException("TF51006: MODE applies to queries FROM WorkItemLinks only. The error is caused by «MODE».");
            }
        }

        if (Current.Kind != WiqlTokenKind.End)
        {
            throw new WiqlException($"TF51006: Expecting end of string. The error is caused by «{Current.Display}».");
        }

        return new WiqlQuery(columns, where, order, _links, mode);
    }

    private WiqlCondition Or()
    {
        var left = And();
        while (Accept("OR"))
        {
            left = new WiqlOr(left, And());
        }

        return left;
    }

    private WiqlCondition And()
    {
        var left = Unary();
        while (Accept("AND"))
        {
            left = new WiqlAnd(left, Unary());
        }

        return left;
    }

    private WiqlCondition Unary()
    {
        if (Accept("NOT"))
        {
            return new WiqlNot(Unary());
        }

        if (Accept("("))
        {
            var inner = Or();
            Expect(")", "')'");
            return inner;
        }

        return Comparison();
    }

    private WiqlCondition Comparison()
    {
        if (_links && Current.Kind == WiqlTokenKind.Field && Current.Text.Equals("System.Links.LinkType", StringComparison.OrdinalIgnoreCase))
        {
            return LinkType();
        }

        var scope = _links ? Current.Scope : null;
        var field = Field();
        var negate = Accept("NOT");
        var token = Current;
        string op;
        if (token.Kind == WiqlTokenKind.Symbol && token.Text is "=" or "<>" or ">" or "<" or ">=" or "<=" && !negate)
        {
            op = token.Text;
            _at++;
        }
        else if (token.Is("IN") || token.Is("UNDER") || token.Is("EVER"))
        {
            op = token.Text.ToUpperInvariant();
            _at++;
        }
        else if (token.Is("CONTAINS"))
        {
            _at++;
            op = Accept("WORDS") ? "CONTAINS WORDS" : "CONTAINS";
        }
        else
        {
            throw new WiqlException($"TF51006: Expecting comparison operator. The error is caused by «{token.Display}».");
        }

        var values = new List<WiqlValue>();
        if (op == "IN")
        {
            Expect("(", "'('");
            values.Add(Value());
            while (Accept(","))
            {
                values.Add(Value());
            }

            Expect(")", "')'");
        }
        else
        {
            values.Add(Value());
        }

        WiqlCondition comparison = new WiqlComparison(field, op == "EVER" ? "=" : op, values, scope);
        return negate ? new WiqlNot(comparison) : comparison;
    }

    private WiqlCondition LinkType()
    {
        _at++;
        var negate = Accept("NOT");
        string op;
        var values = new List<string>();
        if (Accept("IN"))
        {
            op = "IN";
            Expect("(", "'('");
            do
            {
                values.Add(Literal().Literal ?? string.Empty);
            }
            while (Accept(","));
            Expect(")", "')'");
        }
        else if (!negate && (Current.Is("=") || Current.Is("<>")))
        {
            op = Current.Text;
            _at++;
            values.Add(Literal().Literal ?? string.Empty);
        }
        else
        {
            throw new WiqlException($"TF51006: Expecting =, <> or IN after [System.Links.LinkType]. The error is caused by «{Current.Display}».");
        }

        WiqlCondition condition = new WiqlLinkType(op, values);
        return negate ? new WiqlNot(condition) : condition;
    }

    private WiqlValue Value()
    {
        var token = Current;
        if (token.Kind == WiqlTokenKind.Field)
        {
            return new WiqlValue(null, Field: Field());
        }

        if (token.Kind == WiqlTokenKind.Macro)
        {
            _at++;
            var offset = 0;
            if (Current.Is("+") || Current.Is("-"))
            {
                var sign = Current.Text == "-" ? -1 : 1;
                _at++;
                if (Current.Kind != WiqlTokenKind.Number)
                {
                    throw new WiqlException($"TF51006: Expecting a number after '{(sign < 0 ? "-" : "+")}'. The error is caused by «{Current.Display}».");
                }

                offset = sign * int.Parse(Current.Text, CultureInfo.InvariantCulture);
                _at++;
            }

            return new WiqlValue(null, token.Text.ToLowerInvariant(), offset);
        }

        return Literal();
    }

    private WiqlValue Literal()
    {
        var token = Current;
        var negative = false;
        if (token.Is("-"))
        {
            negative = true;
            _at++;
            token = Current;
        }

        if (token.Kind == WiqlTokenKind.String && !negative)
        {
            _at++;
            return new WiqlValue(token.Text);
        }

        if (token.Kind == WiqlTokenKind.Number)
        {
            _at++;
            return new WiqlValue((negative ? "-" : string.Empty) + token.Text, IsNumber: true);
        }

        throw new WiqlException($"TF51006: Expecting a value. The error is caused by «{token.Display}».");
    }

    private WorkItemField Field()
    {
        var token = Current;
        if (token.Kind is not (WiqlTokenKind.Field or WiqlTokenKind.Word) || IsKeyword(token))
        {
            throw new WiqlException($"TF51006: Expecting field name. The error is caused by «{token.Display}».");
        }

        _at++;
        return WorkItemFields.Find(token.Text)
            ?? throw new WiqlException($"TF51005: The query references a field that does not exist. The error is caused by «{token.Display}».");
    }

    private static bool IsKeyword(WiqlToken token) =>
        token.Kind == WiqlTokenKind.Word && token.Text.ToUpperInvariant() is "SELECT" or "FROM" or "WHERE" or "AND" or "OR" or "NOT" or "ORDER" or "BY" or "IN" or "CONTAINS" or "UNDER" or "ASC" or "DESC" or "ASOF" or "MODE";

    private bool Accept(string word)
    {
        if (Current.Is(word))
        {
            _at++;
            return true;
        }

        return false;
    }

    private void Expect(string word, string description)
    {
        if (!Accept(word))
        {
            throw new WiqlException($"TF51006: Expecting {description}. The error is caused by «{Current.Display}».");
        }
    }
}
