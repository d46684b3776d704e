"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect

from garant.store.engine import create_store_engine, current_revision, migrate


def test_upgrade_from_empty_creates_every_table(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert current_revision(engine) is None
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {
        "organisation",
        "person",
        "roleassignment",
        "aitool",
        "aiuse",
        "aiuse_tool",
        "trainingrecord",
        "arbitrationrequest",
    } <= tables
    assert current_revision(engine) is not None


def test_migrated_schema_matches_the_models(store_engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import garant.domain.models  # noqa: F401

    with store_engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_upgrade_is_idempotent(store_engine: Engine) -> None:
    before = current_revision(store_engine)
    migrate(store_engine)
    assert current_revision(store_engine) == before
