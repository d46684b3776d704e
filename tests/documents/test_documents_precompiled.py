"""Built-in templates compiled ahead of time: used only while they match their source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, PackageLoader

from garant.documents import precompiled
from garant.documents.environment import make_environment, render_template
from garant.documents.precompiled import (
    PRECOMPILED,
    compiled_module_path,
    header,
)

CASES = [(package, name) for package, names in PRECOMPILED.items() for name in names]


def _environment() -> Environment:
    return make_environment(packages=tuple(PRECOMPILED))


def _spy_compile(environment: Environment) -> list[str]:
    compiled: list[str] = []
    original = environment.compile

    def spy(source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return original(source, name, *args, **kwargs)

    environment.compile = spy  # type: ignore[method-assign]
    return compiled


@pytest.mark.parametrize(("package", "name"), CASES)
def test_compiled_module_is_what_jinja_compiles_from_the_current_source(
    package: str, name: str
) -> None:
    """Fails when a template source changed without « make templates »."""
    environment = _environment()
    source, filename, _ = PackageLoader(package, "templates").get_source(environment, name)
    lines = compiled_module_path(package, name).read_text(encoding="utf-8").splitlines(True)
    assert lines[0] == header(environment, name, source), "run « make templates »"
    assert "".join(lines[2:]).rstrip("\n") == environment.compile(
        source, name, filename, raw=True
    ).rstrip("\n"), "run « make templates »"


def test_listed_templates_load_without_compiling_others_compile() -> None:
    environment = _environment()
    compiled = _spy_compile(environment)
    template = environment.get_template("rapport-periodique.md.j2")
    environment.get_template("charter-internal.fr.md.j2")
    assert compiled == ["charter-internal.fr.md.j2"]
    assert template.filename is not None
    assert template.filename.endswith("rapport-periodique.md.j2")  # errors name the template


def test_stale_compiled_module_is_ignored_and_the_source_is_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = {
        "lang": "fr",
        "title": "Titre",
        "subtitle": "Sous-titre",
        "disclosure": "Mention",
        "alert": "",
        "meta_rows": [("Politique", "v2")],
        "body": "Corps.",
    }
    expected = render_template(_environment(), "document.md.j2", context)
    real = compiled_module_path("garant.documents", "document.md.j2").read_text("utf-8")
    # A module whose code would write something else, under a header of another source.
    stale = real.replace("sha256=", "sha256=0", 1)
    stale += "\ndef root(context, missing=missing, environment=environment):\n    yield 'périmé'\n"
    monkeypatch.setattr(precompiled, "COMPILED_DIR", tmp_path)
    compiled_module_path("garant.documents", "document.md.j2").write_text(stale, "utf-8")
    environment = _environment()
    compiled = _spy_compile(environment)
    assert render_template(environment, "document.md.j2", context) == expected
    assert compiled == ["document.md.j2"]


def test_a_current_header_is_what_selects_the_compiled_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same altered module under the right header is used: the header is the only key."""
    real = compiled_module_path("garant.documents", "document.md.j2").read_text("utf-8")
    altered = (
        real + "\ndef root(context, missing=missing, environment=environment):\n    yield 'x'\n"
    )
    monkeypatch.setattr(precompiled, "COMPILED_DIR", tmp_path)
    compiled_module_path("garant.documents", "document.md.j2").write_text(altered, "utf-8")
    assert render_template(_environment(), "document.md.j2", {"lang": "fr"}) == "x"


def test_a_missing_compiled_module_falls_back_to_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(precompiled, "COMPILED_DIR", tmp_path)
    environment = _environment()
    compiled = _spy_compile(environment)
    environment.get_template("rapport-periodique.md.j2")
    assert compiled == ["rapport-periodique.md.j2"]


def test_a_workspace_template_still_overrides_a_compiled_built_in(tmp_path: Path) -> None:
    (tmp_path / "rapport-periodique.md.j2").write_text("Propre modèle : {{ lang }}\n", "utf-8")
    environment = make_environment([tmp_path], packages=("garant.audit",))
    assert render_template(environment, "rapport-periodique.md.j2", {"lang": "fr"}) == (
        "Propre modèle : fr\n"
    )


def test_compiled_modules_ship_in_the_package() -> None:
    for package, name in CASES:
        path = compiled_module_path(package, name)
        assert path.parent.name == "compiled_templates"
        assert (path.parent / "__init__.py").is_file()
        assert path.is_file()
