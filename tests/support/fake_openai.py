"""A tiny OpenAI-compatible HTTP server (stdlib only) for exercising the hosted path for real.

It answers ``POST /v1/chat/completions`` and ``POST /v1/audio/transcriptions`` on 127.0.0.1,
records every request (path, headers, JSON body or multipart fields) and can be scripted per test:
a queue of HTTP statuses to return first, a delay before answering, the text to answer.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FakeOpenAIServer", "RecordedRequest"]


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    json_body: dict[str, Any] | None = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


@dataclass
class _Script:
    statuses: list[int] = field(default_factory=list)
    delay_s: float = 0.0
    reply_text: str = "Réponse du serveur de test."
    echo_authorization: bool = False
    segments: list[dict[str, Any]] = field(default_factory=list)


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, Any]]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message: Message = BytesParser(policy=HTTP).parsebytes(head + body)
    form: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[str(name)] = (filename, payload)
        else:
            form[str(name)] = payload.decode("utf-8")
    return form, files


class FakeOpenAIServer:
    """Start with ``start()``; ``base_url`` ends in ``/v1``; ``reset()`` between tests."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.script = _Script()
        self._lock = threading.Lock()
        self._release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # silence stderr
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                record = RecordedRequest(path=self.path, headers=dict(self.headers.items()))
                content_type = self.headers.get("Content-Type", "")
                if content_type.startswith("multipart/form-data"):
                    record.form, record.files = _parse_multipart(content_type, body)
                elif body:
                    record.json_body = json.loads(body)
                with server._lock:
                    server.requests.append(record)
                    status = server.script.statuses.pop(0) if server.script.statuses else 200
                    script = server.script
                if script.delay_s:
                    server._release.wait(script.delay_s)
                if status != 200:
                    detail = "erreur simulée"
                    if script.echo_authorization:
                        detail += " ; reçu " + self.headers.get("Authorization", "")
                    self._send(status, {"error": {"message": detail, "type": "server_error"}})
                elif self.path.endswith("/chat/completions"):
                    self._send(200, server._chat_reply(record))
                elif self.path.endswith("/audio/transcriptions"):
                    self._send(200, server._transcription_reply(record))
                else:
                    self._send(404, {"error": {"message": "inconnu", "type": "not_found"}})

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up (timeout test)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.script = _Script()

    def hits(self, suffix: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path.endswith(suffix))

    def _chat_reply(self, record: RecordedRequest) -> dict[str, Any]:
        body = record.json_body or {}
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "inconnu"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": self.script.reply_text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 17, "completion_tokens": 9, "total_tokens": 26},
        }

    def _transcription_reply(self, record: RecordedRequest) -> dict[str, Any]:
        segments = self.script.segments or [
            {
                "id": 0,
                "start": 0.0,
                "end": 2.5,
                "text": " Bonjour à toutes et à tous.",
                "avg_logprob": -0.1,
                "no_speech_prob": 0.01,
            },
            {
                "id": 1,
                "start": 2.5,
                "end": 5.0,
                "text": " La séance est ouverte.",
                "avg_logprob": -0.3,
                "no_speech_prob": 0.02,
            },
        ]
        return {
            "task": "transcribe",
            "language": record.form.get("language", "fr"),
            "duration": segments[-1]["end"],
            "text": "".join(s["text"] for s in segments).strip(),
            "segments": segments,
        }
