"""Datadog's metric expression grammar, parsed into a tree that both the validator and the evaluator read.

An expression is arithmetic (``+ - * /`` with the usual precedence, unary minus, parentheses, numbers) over
metric terms and function calls:

- a metric term is ``space_aggregator:metric.name{scope} by {tag, ...}`` followed by methods such as
  ``.as_count()``, ``.as_rate()`` or ``.rollup(sum, 60)``;
- a function call is ``name(argument, ...)`` (``abs(...)``, ``anomalies(..., 'basic', 2)``, ``forecast(...)``),
  whose arguments may be expressions, quoted strings, bare words (``sum``, ``basic``), time windows
  (``last_15m``), keyword arguments (``direction='above'``) or a tag set (``{host}``).

The grammar is Datadog's documented one (https://docs.datadoghq.com/dashboards/querying/ and
https://docs.datadoghq.com/metrics/#query-syntax). It is deliberately wider than what the evaluator can compute:
the sandbox must accept every real query, while the evaluator reports what it cannot compute (see
``compiler.evaluate.metric_query``). ``Unknown`` is raised for text outside the grammar, which is not
necessarily invalid for Datadog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WINDOW = re.compile(r"^(?:last|next|current)_(?P<n>\d*)(?P<unit>[a-z]+)$")

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<scope>\{[^{}]*\})
    | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![\w.:]))
    | (?P<word>[A-Za-z_@][\w.\-@/]*(?::[\w.\-@/*]+)*)
    | (?P<punct>[(),.+\-*/:=])
    )""",
    re.X,
)


class Unknown(Exception):
    """The expression is outside the grammar this parser knows (not necessarily invalid for Datadog)."""


# --- the tree -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Method:
    """``.name(args)`` after a term: ``as_count``, ``as_rate``, ``rollup``, ``fill``, ``by``, ..."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Negate:
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Metric:
    """``space:metric{scope} by {group}`` and its methods."""

    space: str  # avg, sum, min, max, count, p95, ...
    name: str
    scope: str  # the text between the braces
    group_by: tuple[str, ...]
    methods: tuple[Method, ...] = ()


@dataclass(frozen=True)
class Call:
    """A function over arguments: ``abs(x)``, ``anomalies(x, 'basic', 2)``, ``sum(x, {g})``."""

    name: str
    args: tuple[Node, ...]
    methods: tuple[Method, ...] = ()


@dataclass(frozen=True)
class Group:
    """A parenthesised expression carrying methods, e.g. ``(a + b).rollup(sum, 60)``."""

    inner: Node
    methods: tuple[Method, ...]


@dataclass(frozen=True)
class Word:
    """A bare argument: ``sum`` in ``rollup(sum, 60)``, ``basic`` in ``anomalies(...)``, a time window."""

    value: str


@dataclass(frozen=True)
class Text:
    """A quoted string argument."""

    value: str


@dataclass(frozen=True)
class Keyword:
    name: str
    value: Node


@dataclass(frozen=True)
class TagSet:
    """A ``{tag, ...}`` argument (the regrouping of a space aggregation function)."""

    text: str


Node = Number | Negate | Binary | Metric | Call | Group | Word | Text | Keyword | TagSet


# --- the parser -------------------------------------------------------------------------------------


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise Unknown(text[pos:])
        token_type = m.lastgroup
        assert token_type is not None
        tokens.append((token_type, m.group(token_type)))
        pos = m.end()
    return tokens


class _Parser:
    """Recursive descent: expr := mul (('+'|'-') mul)*; mul := unary (('*'|'/') unary)*;
    unary := '-' unary | primary method*."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.windows: list[str] = []

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None, token_type: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value) or (token_type is not None and tok[0] != token_type):
            raise Unknown(f"expected {value or token_type}")
        self.i += 1
        return tok

    def done(self) -> bool:
        return self.i == len(self.tokens)

    def _operator(self, ops: str) -> str | None:
        tok = self.peek()
        if tok is not None and tok[0] == "punct" and tok[1] in ops:
            self.i += 1
            return tok[1]
        return None

    def expr(self) -> Node:
        node = self.mul()
        while (op := self._operator("+-")) is not None:
            node = Binary(op, node, self.mul())
        return node

    def mul(self) -> Node:
        node = self.unary()
        while (op := self._operator("*/")) is not None:
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self._operator("-") is not None:
            return Negate(self.unary())
        return self.primary()

    def primary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise Unknown("missing operand")
        token_type, value = tok
        self.i += 1
        if token_type == "number":
            return Number(float(value))
        if token_type == "string":
            return Text(value[1:-1])
        if token_type == "punct" and value == "(":
            inner = self.expr()
            self.take(")")
            methods = self.methods()
            return Group(inner, methods) if methods else inner
        if token_type != "word":
            raise Unknown(value)
        nxt = self.peek()
        if nxt is not None and nxt[0] == "scope":
            self.i += 1
            group = self._group_by()
            # `metric{scope}` without a space aggregator is averaged (Datadog's default space aggregation)
            space, _, name = value.partition(":") if ":" in value else ("avg", "", value)
            return Metric(space, name, nxt[1][1:-1].strip(), group, self.methods())
        if nxt is not None and nxt[1] == "(":
            return Call(value, self.arguments(), self.methods())
        if ":" not in value:
            return Word(value)  # a bare argument such as `basic` or `agile`
        space, _, name = value.partition(":")
        return Metric(space, name, "*", (), self.methods())  # a metric without braces means everywhere

    def _group_by(self) -> tuple[str, ...]:
        if self.peek() == ("word", "by"):
            self.i += 1
            scope = self.take(token_type="scope")[1]
            return tuple(t.strip() for t in scope[1:-1].split(",") if t.strip())
        return ()

    def arguments(self) -> tuple[Node, ...]:
        self.take("(")
        if self.peek() == ("punct", ")"):
            self.i += 1
            return ()
        args: list[Node] = []
        while True:
            tok = self.peek()
            after = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
            if tok is not None and tok[0] == "word" and after == ("punct", "="):
                self.i += 2  # keyword argument: direction='above', alert_window='last_15m'
                args.append(Keyword(tok[1], self.unary()))
            elif tok is not None and tok[0] == "word" and WINDOW.match(tok[1]):
                self.windows.append(tok[1])
                self.i += 1
                args.append(Word(tok[1]))
            elif tok is not None and tok[0] == "scope":
                self.i += 1  # the group of a space aggregation: sum(<query>, {tag_a, tag_b})
                args.append(TagSet(tok[1][1:-1].strip()))
            else:
                args.append(self.expr())
            if self.peek() == ("punct", ","):
                self.i += 1
                continue
            self.take(")")
            return tuple(args)

    def methods(self) -> tuple[Method, ...]:
        out: list[Method] = []
        while self.peek() == ("punct", "."):
            self.i += 1
            name = self.take(token_type="word")[1]
            out.append(Method(name, self.arguments()))
        return tuple(out)


@dataclass(frozen=True)
class Parsed:
    tree: Node
    windows: tuple[str, ...]  # time windows written inside function arguments (for validation)


def parse(text: str) -> Parsed:
    """The tree of a metric expression; raises ``Unknown`` outside the grammar."""
    parser = _Parser(text)
    tree = parser.expr()
    if not parser.done():
        raise Unknown("trailing text")
    return Parsed(tree, tuple(parser.windows))


def metrics_in(node: Node) -> list[Metric]:
    """Every metric term of a tree, left to right."""
    found: list[Metric] = []
    _collect(node, found)
    return found


def _collect(node: Node, found: list[Metric]) -> None:
    if isinstance(node, Metric):
        found.append(node)
    elif isinstance(node, Negate):
        _collect(node.operand, found)
    elif isinstance(node, Binary):
        _collect(node.left, found)
        _collect(node.right, found)
    elif isinstance(node, Group):
        _collect(node.inner, found)
    elif isinstance(node, Call):
        for arg in node.args:
            _collect(arg, found)
    elif isinstance(node, Keyword):
        _collect(node.value, found)
