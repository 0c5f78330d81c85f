"""`communique serve` as a real server on 127.0.0.1: the upload limit on the
wire, and the health check answering while publishes run."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi", reason="the web extra (communique[web]) is not installed")

from benchmarks.load import SAMPLE, multipart, request, running_server

from communique import cli

MB = 1024 * 1024


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with running_server("--workers", "2") as server_port:
        yield server_port


def test_30_mb_upload_gets_413_before_it_is_sent(port: int) -> None:
    """The server answers from the Content-Length: the client has sent
    64 kB of 30 MB when it reads the 413."""
    boundary = "b0undary"
    head = (
        f"POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {30 * MB}\r\n\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head + b"x" * 64 * 1024)
        reply = b""
        while not reply.endswith(b"}") and len(reply) < 65536:  # the headers, then the JSON error
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 413 ")
    assert b'"error":"the upload is over the limit of 10 MB"' in reply


def test_30_mb_upload_sent_whole_gets_413(port: int) -> None:
    body = b"y" * (30 * MB)
    try:
        status, reply = request(port, "POST", "/api/read", body, {"Content-Type": "application/json"})
    except (BrokenPipeError, ConnectionResetError):
        pytest.fail("the server closed the connection without answering 413")
    assert status == 413
    assert b"over the limit" in reply


def test_health_answers_while_20_publishes_run(port: int) -> None:
    body, headers = multipart({"text": SAMPLE.read_text(encoding="utf-8"), "format": "pdf"})
    answered: list[int] = []
    running = threading.Event()
    done = threading.Event()

    def watch() -> None:
        running.wait(timeout=30)
        deadline = time.monotonic() + 120
        while not done.is_set() and time.monotonic() < deadline and len(answered) < 1000:
            answered.append(request(port, "GET", "/healthz")[0])
            done.wait(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=20) as threads:
            futures = [threads.submit(request, port, "POST", "/api/publish", body, headers) for _ in range(20)]
            running.set()
            results = [future.result(timeout=300) for future in futures]
    finally:
        done.set()
        watcher.join(timeout=30)
    assert [status for status, _ in results] == [200] * 20
    assert all(data.startswith(b"%PDF-") for _, data in results)
    assert answered and set(answered) == {200}


def test_serve_refuses_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--workers", "0"]) == cli.EXIT_USAGE
    assert "--workers must be at least 1" in capsys.readouterr().err
    assert cli.main(["serve", "--max-upload", "ten"]) == cli.EXIT_USAGE
