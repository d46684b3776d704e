"""Built-in templates compiled ahead of time into Python modules shipped with garant.

Compiling a template costs Jinja a parse, a code generation and a Python ``compile`` — 0.085 s
of CPU for the 16.5 kB periodic audit report, in every ``garant audit report`` process. The
Python source Jinja generates for a built-in template (``Environment.compile(..., raw=True)``,
the very code Jinja would compile at run time) is written once, by ``make templates``
(``garant.documents.precompiled.main``), into ``garant/documents/compiled_templates/``;
Python's import machinery then keeps its bytecode like any module's.

:class:`PrecompiledPackageLoader` is a ``PackageLoader`` that uses a compiled module only when
its first line names the SHA-256 of the template source it reads now and the same compiling
options (Jinja version, block and whitespace settings, autoescaping of that name); otherwise
it compiles the source as Jinja always did. A stale module can make a document slower, never
different. A workspace's own template still wins (the ``ChoiceLoader`` tries it first), and a
test fails when a source changed without ``make templates``
(tests/documents/test_documents_precompiled.py). docs/adr-0020, Session 4, audit report.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, MutableMapping
from importlib.machinery import SourceFileLoader
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment, PackageLoader, Template

__all__ = [
    "COMPILED_DIR",
    "PRECOMPILED",
    "PrecompiledPackageLoader",
    "compiled_module_path",
    "header",
    "main",
    "write_compiled_templates",
]

COMPILED_DIR = Path(__file__).with_name("compiled_templates")

PRECOMPILED: dict[str, tuple[str, ...]] = {
    "garant.audit": ("rapport-periodique.md.j2",),
    "garant.documents": ("document.md.j2", "page.html.j2"),
    "garant.inquiry": ("annexe.md.j2", "proces-verbal.md.j2"),
}
"""The built-in templates compiled ahead of time, by package (one line to add one)."""

_HEADER = re.compile(r"# garant-template sha256=([0-9a-f]{64}) options=(\S+)\n")


def compiled_module_path(package: str, name: str) -> Path:
    """Where the compiled module of template ``name`` of ``package`` lives."""
    stem = re.sub(r"\W", "_", f"{package.removeprefix('garant.')}__{name}")
    return COMPILED_DIR / f"{stem}.py"


def _options(environment: Environment, name: str) -> str:
    """What the generated code depends on besides the source, as one token."""
    autoescape = environment.autoescape
    escaped = autoescape(name) if callable(autoescape) else autoescape
    values = (
        jinja2.__version__,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.keep_trailing_newline,
        repr(environment.newline_sequence),
        environment.optimized,
        environment.finalize is not None,
        bool(escaped),
        ",".join(sorted(environment.extensions)),
    )
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()[:16]


def header(environment: Environment, name: str, source: str) -> str:
    """The first line of a compiled module: the source's SHA-256 and the options' digest."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return f"# garant-template sha256={digest} options={_options(environment, name)}\n"


class PrecompiledPackageLoader(PackageLoader):
    """A ``PackageLoader`` that loads a template from its compiled module when that module
    was compiled from the same source with the same options."""

    def __init__(self, package_name: str, package_path: str = "templates") -> None:
        super().__init__(package_name, package_path)
        self.package_name = package_name

    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        if name not in PRECOMPILED.get(self.package_name, ()):
            return super().load(environment, name, globals)
        source, filename, uptodate = self.get_source(environment, name)
        module = compiled_module_path(self.package_name, name)
        try:
            with module.open(encoding="utf-8") as file:
                first_line = file.readline()
        except OSError:
            first_line = ""
        if first_line != header(environment, name, source):
            code = environment.compile(source, name, filename)
        else:
            code = _module_code(module)
        template = environment.template_class.from_code(
            environment, code, {} if globals is None else globals, uptodate
        )
        template.filename = filename  # error messages name the template, not the module
        return template


def _module_code(path: Path) -> Any:
    """The code object of the module at ``path``, through its cached bytecode when valid."""
    name = f"garant.documents.compiled_templates.{path.stem}"
    return SourceFileLoader(name, str(path)).get_code(name)


def write_compiled_templates(
    make_environment: Callable[[], Environment], log: Callable[[str], None] = print
) -> list[Path]:
    """Compile every template of :data:`PRECOMPILED` with the environment documents use, and
    write its module (``make templates``)."""
    from garant.util.files import atomic_write_bytes

    environment = make_environment()
    written: list[Path] = []
    for package, names in PRECOMPILED.items():
        loader = PackageLoader(package, "templates")
        for name in names:
            source, filename, _ = loader.get_source(environment, name)
            code = environment.compile(source, name, filename, raw=True)
            path = compiled_module_path(package, name)
            text = header(environment, name, source) + (
                f"# Generated by « make templates » from {package}:templates/{name}; "
                "do not edit.\n" + code + ("" if code.endswith("\n") else "\n")
            )
            atomic_write_bytes(path, text.encode("utf-8"), 0o644)
            written.append(path)
            log(f"{package}:templates/{name} -> {path.name}")
    return written


def main() -> None:
    """``make templates``: rewrite every compiled module from its source."""
    from garant.documents.environment import make_environment

    write_compiled_templates(lambda: make_environment(packages=tuple(PRECOMPILED)))
