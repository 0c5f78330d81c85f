"""Load on the web service: 20, then 100 concurrent publishes of the sample.

Starts `communique serve` on 127.0.0.1 (a free port), sends each burst at
once from threads, and meanwhile asks /healthz every 20 ms. Prints latency
percentiles and errors of the publishes, the burst's wall time as a ratio to
the same publishes done by hand in one process and spread over the cores,
and the health check's latency, which must stay under 100 ms while 20
publishes run. Traffic goes to
127.0.0.1 only; every loop is bounded in count and time.

    .venv/bin/python benchmarks/load.py [--workers N] [--bursts 20,100]
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

HOST = "127.0.0.1"
SAMPLE = Path(__file__).resolve().parents[1] / "src" / "communique" / "samples" / "statement-tr-ots-kazakhstan.txt"
HEALTH_LIMIT_MS = 100.0
STARTUP_SECONDS = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(*options: str) -> Iterator[int]:
    """`communique serve` on 127.0.0.1 and a free port, stopped on exit;
    yields the port once /healthz answers."""
    port = free_port()
    command = [sys.executable, "-m", "communique", "serve", "--host", HOST, "--port", str(port), *options]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"communique serve exited with {process.returncode}")
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"communique serve did not answer within {STARTUP_SECONDS:g} s")
        yield port
    finally:
        process.send_signal(signal.SIGINT)  # uvicorn shuts down and closes its worker pool
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """One HTTP request to 127.0.0.1; the status and the body."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def multipart(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """A multipart/form-data body of text fields, and its headers."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode("utf-8")
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def publish(port: int, body: bytes, headers: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    try:
        status, _ = request(port, "POST", "/api/publish", body, headers)
    except OSError:
        status = 0
    return (time.perf_counter() - start) * 1000, status


def burst(port: int, count: int) -> tuple[list[float], list[int], list[float]]:
    """`count` publishes at once; their latencies and statuses, and the
    health check's latencies meanwhile."""
    body, headers = multipart({"text": SAMPLE.read_text(encoding="utf-8"), "format": "pdf"})
    health: list[float] = []
    done = threading.Event()

    def watch_health() -> None:
        deadline = time.monotonic() + 300
        while not done.is_set() and time.monotonic() < deadline and len(health) < 20_000:
            start = time.perf_counter()
            status, _ = request(port, "GET", "/healthz")
            if status == 200:
                health.append((time.perf_counter() - start) * 1000)
            done.wait(0.02)

    watcher = threading.Thread(target=watch_health)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=count) as threads:
            results = list(threads.map(lambda _: publish(port, body, headers), range(count)))
    finally:
        done.set()
        watcher.join(timeout=10)
    return [r[0] for r in results], [r[1] for r in results], health


def in_process_ms(count: int = 20) -> float:
    """The same job without the service: read and publish the sample as
    PDF in this process; milliseconds per publish (after one warm-up)."""
    from communique import readers
    from communique.publish import Options, render_outputs
    from communique.render import list_templates

    options = Options(template=list_templates()[0], formats=("pdf",))
    render_outputs(readers.read(SAMPLE), options)
    start = time.perf_counter()
    for _ in range(count):
        render_outputs(readers.read(SAMPLE), options)
    return (time.perf_counter() - start) * 1000 / count


def percentiles(values: list[float]) -> str:
    if not values:
        return "no samples"
    ordered = sorted(values)
    cut = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return f"p50 {cut[49]:7.1f}  p90 {cut[89]:7.1f}  p99 {cut[98]:7.1f}  max {ordered[-1]:7.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, help="rendering workers of the server (default: one per core)")
    parser.add_argument("--bursts", default="20,100", help="concurrent publishes per burst (default 20,100)")
    args = parser.parse_args()
    bursts = [int(n) for n in args.bursts.split(",")]
    options = ("--workers", str(args.workers)) if args.workers else ()
    cores = len(os.sched_getaffinity(0))
    workers = args.workers or cores
    print(f"cores: {cores}; workers: {workers}")
    by_hand = in_process_ms()
    print(f"the same publish in one process, by hand: {by_hand:.1f} ms")
    healthy = True
    with running_server(*options) as port:
        request(port, "POST", "/api/publish", *multipart({"text": SAMPLE.read_text(encoding="utf-8")}))  # warm
        print(
            f"{'burst':>6} {'ok':>4} {'errors':>6}  publish latency (ms)                          wall (s)"
            "  wall / ideal"
        )
        for count in bursts:
            start = time.perf_counter()
            latencies, statuses, health = burst(port, count)
            wall = time.perf_counter() - start
            errors = sum(1 for s in statuses if s != 200)
            ideal = by_hand * count / min(workers, cores) / 1000  # the by-hand time spread over the cores
            print(
                f"{count:>6} {count - errors:>4} {errors:>6}  {percentiles(latencies)}  {wall:8.2f}"
                f"  {wall / ideal:12.2f}"
            )
            print(f"{'':>19}  health (ms, n={len(health)}): {percentiles(health)}")
            if count <= 20 and (errors or not health or max(health) >= HEALTH_LIMIT_MS):
                healthy = False
    print("health check under 100 ms with 20 publishes running, all published:", "yes" if healthy else "NO")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
