"""Fixtures of the model-gateway tests: a real OpenAI-compatible HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_openai import FakeOpenAIServer  # tests/support, on pytest's pythonpath

FAKE_KEY = "sk-garant-test-NE-DOIT-JAMAIS-APPARAITRE-4242"


@pytest.fixture(scope="session")
def _fake_openai_session() -> Iterator[FakeOpenAIServer]:
    server = FakeOpenAIServer().start()
    yield server
    server.stop()


@pytest.fixture
def openai_server(_fake_openai_session: FakeOpenAIServer) -> Iterator[FakeOpenAIServer]:
    """The session's fake server, with its recorded requests and script reset for this test."""
    _fake_openai_session.reset()
    yield _fake_openai_session
    _fake_openai_session.reset()


@pytest.fixture
def fake_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fake API key in GARANT_TEST_LLM_KEY (the variable the test aliases name)."""
    monkeypatch.setenv("GARANT_TEST_LLM_KEY", FAKE_KEY)
    return FAKE_KEY
