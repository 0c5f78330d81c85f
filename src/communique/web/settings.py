"""What `communique serve` may change, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from communique.web.pool import default_workers

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Limits and sizes of one application."""

    max_upload_bytes: int = 10 * MB
    workers: int = field(default_factory=default_workers)
    time_limit: float = 60.0  # seconds one read, publish or preview may take in a worker
    max_waiting: int = 500  # jobs queued or running at once; more are refused (503) rather than held in memory
    preview_pages: int = 10
    preview_scale: float = 1.5  # 108 dpi
