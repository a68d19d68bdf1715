"""Mark the strings a person reads with gettext, once (issue 25 item 3).

    python -m tools.mark_wording bot/wording/flare.py ...

Each plain string that reads as words becomes `_("...")`; each f-string becomes
`_("... {name} ...").format(name=...)`, its parts joined into one message (a translator
sees the whole sentence, and names its placeholders). Docstrings, dictionary keys, the
strings compared with or looked up, and strings that are no words (separators, formats)
are left alone. What it cannot tell (a lone lower-case word said to a person) the catalog
test finds afterwards (tests/unit/bot/test_catalog.py). Kept to show how the marks were
made; the wording is edited by hand from here on.
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import libcst as cst
from libcst import matchers as m
from libcst.metadata import ParentNodeProvider

_WORDS = re.compile(r"[A-Za-z]{2}")
_GETTEXT = frozenset({"_", "ngettext"})


def reads_as_words(value: str) -> bool:
    """Tell whether a string is something a person reads: words, not a key or a format."""
    if not _WORDS.search(value):
        return False
    if " " in value.strip() or "\n" in value:
        return True
    first = value.strip()[:1]
    # One word: a label ("Skip", "▶️ Start") is marked; a key ("drink") is not.
    return bool(first) and (first.isupper() or not first.isascii())


def _placeholder(expression: cst.BaseExpression, used: dict[str, str], code: str) -> str:
    """Name a placeholder for an expression: its own name, its last attribute, or the
    function it calls."""
    node: cst.CSTNode = expression
    while isinstance(node, cst.Call):
        node = node.func
    if isinstance(node, cst.Subscript):
        node = node.value
    if isinstance(node, cst.Attribute):
        name = node.attr.value
    elif isinstance(node, cst.Name):
        name = node.value
    else:
        name = "value"
    name = name.strip("_").lower() or "value"
    candidate, number = name, 2
    while candidate in used and used[candidate] != code:
        candidate, number = f"{name}_{number}", number + 1
    used[candidate] = code
    return candidate


class Marker(cst.CSTTransformer):
    """Wrap the strings a person reads in `_()`."""

    METADATA_DEPENDENCIES = (ParentNodeProvider,)

    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        self.module = module
        self.skip_depth = 0

    # -- where strings are not words -------------------------------------------------------

    def _skipped(self, node: cst.CSTNode) -> bool:
        return self.skip_depth > 0

    def visit_Call(self, node: cst.Call) -> bool:
        if m.matches(node.func, m.Name("_") | m.Name("ngettext")):
            self.skip_depth += 1
        return True

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if m.matches(original.func, m.Name("_") | m.Name("ngettext")):
            self.skip_depth -= 1
        return updated

    def visit_Comparison(self, node: cst.Comparison) -> bool:
        self.skip_depth += 1
        return True

    def leave_Comparison(
        self, original: cst.Comparison, updated: cst.Comparison
    ) -> cst.BaseExpression:
        self.skip_depth -= 1
        return updated

    def visit_MatchCase(self, node: cst.MatchCase) -> bool:
        node.pattern.visit(_Skip())
        return True

    def leave_MatchCase(self, original: cst.MatchCase, updated: cst.MatchCase) -> cst.MatchCase:
        return updated.with_changes(pattern=original.pattern)

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        names = [t.target for t in original.targets]
        if any(m.matches(name, m.Name("__all__")) for name in names):
            return original
        return updated

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        self.skip_depth += 1
        return True

    def leave_Subscript(
        self, original: cst.Subscript, updated: cst.Subscript
    ) -> cst.BaseExpression:
        self.skip_depth -= 1
        return updated

    def visit_DictElement(self, node: cst.DictElement) -> bool:
        node.key.visit(_Skip())  # keys are looked up, never read
        return True

    def leave_DictElement(
        self, original: cst.DictElement, updated: cst.DictElement
    ) -> cst.DictElement:
        return updated.with_changes(key=original.key)

    # -- docstrings ------------------------------------------------------------------------

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        parent = self.get_metadata(ParentNodeProvider, original, None)
        body = getattr(parent, "body", None)
        if isinstance(parent, cst.IndentedBlock):
            body = parent.body
        first = body[0] if isinstance(body, (list, tuple)) and body else None
        is_doc = (
            first is original
            and len(original.body) == 1
            and isinstance(original.body[0], cst.Expr)
            and isinstance(original.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
        )
        return original if is_doc else updated

    # -- the strings -----------------------------------------------------------------------

    def leave_SimpleString(
        self, original: cst.SimpleString, updated: cst.SimpleString
    ) -> cst.BaseExpression:
        parent = self.get_metadata(ParentNodeProvider, original)
        if isinstance(parent, cst.ConcatenatedString) or self._skipped(original):
            return updated
        value = original.evaluated_value
        if not isinstance(value, str) or original.prefix.lower().startswith("b"):
            return updated
        if not reads_as_words(value):
            return updated
        return _gettext_call(value)

    def leave_FormattedString(
        self, original: cst.FormattedString, updated: cst.FormattedString
    ) -> cst.BaseExpression:
        parent = self.get_metadata(ParentNodeProvider, original)
        if isinstance(parent, cst.ConcatenatedString) or self._skipped(original):
            return updated
        return self._format([updated]) or updated

    def leave_ConcatenatedString(
        self, original: cst.ConcatenatedString, updated: cst.ConcatenatedString
    ) -> cst.BaseExpression:
        parent = self.get_metadata(ParentNodeProvider, original)
        if isinstance(parent, cst.ConcatenatedString) or self._skipped(original):
            return updated
        parts: list[cst.SimpleString | cst.FormattedString] = []

        def flatten(node: cst.BaseExpression) -> None:
            if isinstance(node, cst.ConcatenatedString):
                flatten(node.left)
                flatten(node.right)
            elif isinstance(node, (cst.SimpleString, cst.FormattedString)):
                parts.append(node)

        flatten(updated)
        return self._format(parts) or updated

    def _format(
        self, parts: list[cst.SimpleString | cst.FormattedString]
    ) -> cst.BaseExpression | None:
        """One message of the parts: `_("...")`, with `.format(...)` for any placeholders."""
        template: list[str] = []
        arguments: dict[str, cst.BaseExpression] = {}
        used: dict[str, str] = {}
        for part in parts:
            if isinstance(part, cst.SimpleString):
                value = part.evaluated_value
                if not isinstance(value, str):
                    return None
                template.append(value.replace("{", "{{").replace("}", "}}"))
                continue
            for piece in part.parts:
                if isinstance(piece, cst.FormattedStringText):
                    text = ast.literal_eval(f'"""{piece.value}"""')
                    # `{{` in an f-string is one brace: as it is, it is doubled for .format.
                    template.append(text)
                    continue
                assert isinstance(piece, cst.FormattedStringExpression)
                code = self.module.code_for_node(piece.expression)
                name = _placeholder(piece.expression, used, code)
                arguments[name] = piece.expression
                conversion = f"!{piece.conversion}" if piece.conversion else ""
                spec = ""
                if piece.format_spec:
                    spec = ":" + "".join(
                        p.value
                        for p in piece.format_spec
                        if isinstance(p, cst.FormattedStringText)
                    )
                template.append(f"{{{name}{conversion}{spec}}}")
        message = "".join(template)
        if not arguments:  # no .format: the braces stay single
            message = message.replace("{{", "{").replace("}}", "}")
        plain = message.replace("{{", "").replace("}}", "")
        if not reads_as_words(re.sub(r"\{[^}]*\}", " ", plain)):
            return None
        call = _gettext_call(message)
        if not arguments:
            return call
        return cst.Call(
            cst.Attribute(call, cst.Name("format")),
            [
                cst.Arg(
                    value,
                    keyword=cst.Name(name),
                    equal=cst.AssignEqual(
                        whitespace_before=cst.SimpleWhitespace(""),
                        whitespace_after=cst.SimpleWhitespace(""),
                    ),
                )
                for name, value in arguments.items()
            ],
        )


def _gettext_call(message: str) -> cst.Call:
    """`_("...")`, its message in lines short enough for the code (joined, as one)."""
    pieces = [_quote(chunk) for chunk in _chunks(message)]
    return cst.ensure_type(cst.parse_expression("_(" + "\n".join(pieces) + ")"), cst.Call)


def _chunks(message: str, width: int = 72) -> list[str]:
    """Cut a message after its line breaks, and at spaces to lines of about `width`."""
    chunks: list[str] = []
    for line in re.split(r"(?<=\n)", message):
        while len(_escape(line)) > width:
            cut = line.rfind(" ", 0, width)
            if cut <= 0:
                break
            chunks.append(line[: cut + 1])
            line = line[cut + 1 :]
        if line:
            chunks.append(line)
    return chunks or [""]


class _Skip(cst.CSTVisitor):
    """Visits a subtree without changing it."""


def _quote(text: str) -> str:
    """Write text as one Python string literal, double-quoted when it can be."""
    return repr(text) if '"' in text and "'" not in text else '"' + _escape(text) + '"'


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def mark(path: Path) -> bool:
    """Mark one module's strings; add the import of `_`. Tell whether it changed."""
    source = path.read_text(encoding="utf-8")
    module = cst.parse_module(source)
    wrapper = cst.MetadataWrapper(module)
    marked = wrapper.visit(Marker(wrapper.module))
    code = marked.code
    if code == source:
        return False
    if "from bot.i18n import" not in code:
        code = re.sub(
            r"^(from __future__ import annotations\n\n)",
            r"\1from bot.i18n import _\n",
            code,
            count=1,
            flags=re.MULTILINE,
        )
    path.write_text(code, encoding="utf-8")
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    for path in parser.parse_args().paths:
        if mark(path):
            print(f"marked {path}")


if __name__ == "__main__":
    main()
