namespace AdoBridge.Emulator;

/// <summary>A parsed query: SELECT columns FROM WorkItems [WHERE condition] [ORDER BY …], or FROM WorkItemLinks with a
/// <see cref="Mode"/> (MustContain, MayContain, DoesNotContain or Recursive).</summary>
internal sealed record WiqlQuery(IReadOnlyList<WorkItemField> Columns, WiqlCondition? Where, IReadOnlyList<WiqlSort> OrderBy, bool Links = false, string Mode = "MustContain");

internal sealed record WiqlSort(WorkItemField Field, bool Descending);

internal abstract record WiqlCondition;

internal sealed record WiqlAnd(WiqlCondition Left, WiqlCondition Right) : WiqlCondition;

internal sealed record WiqlOr(WiqlCondition Left, WiqlCondition Right) : WiqlCondition;

internal sealed record WiqlNot(WiqlCondition Inner) : WiqlCondition;

/// <summary>field op value(s); Operator is one of =, &lt;&gt;, &gt;, &lt;, &gt;=, &lt;=, IN, CONTAINS, CONTAINS WORDS, UNDER (negations are wrapped in <see cref="WiqlNot"/>).
/// In a link query <see cref="Scope"/> says which end the field is read from (Source, Target; none means Source).</summary>
internal sealed record WiqlComparison(WorkItemField Field, string Operator, IReadOnlyList<WiqlValue> Values, string? Scope = null) : WiqlCondition;

/// <summary>[System.Links.LinkType] op value(s) in a link query.</summary>
internal sealed record WiqlLinkType(string Operator, IReadOnlyList<string> Values) : WiqlCondition;

/// <summary>A literal (string or number), a macro with an optional offset (@today - 7), or another field.</summary>
internal sealed record WiqlValue(string? Literal, string? Macro = null, int Offset = 0, WorkItemField? Field = null, bool IsNumber = false);
