"""Persistence: engines, transactions and Alembic migrations for the registry and the ledger."""

from garant.store.engine import create_store_engine, migrate, unit_of_work

__all__ = ["create_store_engine", "migrate", "unit_of_work"]
