"""Batches: folders walked, worker processes, reports, --changed, Ctrl-C, a Dask cluster."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from communique import batch, cli
from communique.errors import CommuniqueError
from communique.publish import Options
from communique.render import find_template
from tests.conftest import SAMPLE

COMMAND = [sys.executable, "-m", "communique"]
BAD_JSON = '{"meta": {}, "blocks": [{"kind": "poem"}]}'


def make_archive(root: Path, copies: int = 2) -> Path:
    """A small archive: the sample statement in two folders, a note, a
    hidden folder and a file of another kind that must be left alone."""
    archive = root / "archive"
    (archive / "2022" / "01").mkdir(parents=True)
    (archive / ".drafts").mkdir()
    for index in range(copies):
        shutil.copy(SAMPLE, archive / f"statement-{index}.txt")
    shutil.copy(SAMPLE, archive / "2022" / "01" / "ots.txt")
    (archive / "2022" / "note.md").write_text(
        "---\ntitle: Press release\nlanguage: en\n---\n\nThe Ministry welcomes the agreement.\n", encoding="utf-8"
    )
    shutil.copy(SAMPLE, archive / ".drafts" / "draft.txt")
    (archive / ".hidden.txt").write_text("A hidden note\n\nNot to publish.\n", encoding="utf-8")
    (archive / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    return archive


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def one_by_one(archive: Path, out: Path) -> dict[str, bytes]:
    """The outputs of building each source alone, as a user did before batches."""
    for source in sorted(archive.rglob("*")):
        if source.suffix in (".txt", ".md", ".json") and not any(p.startswith(".") for p in source.parts[-3:]):
            target = out / source.parent.relative_to(archive)
            assert cli.main(["build", str(source), "--out", str(target), "--quiet"]) in (0, 1)
    return tree(out)


def test_collect_walks_folders_mirrors_the_tree_and_skips_hidden_files_and_the_output(tmp_path: Path) -> None:
    archive = make_archive(tmp_path)
    out = archive / "site"  # an output folder inside the archive is not read back
    out.mkdir()
    shutil.copy(SAMPLE, out / "old.txt")
    found = {(str(s.relative_to(archive)), str(o.relative_to(out))) for s, o in batch.collect([archive], out)}
    assert found == {
        ("statement-0.txt", "."),
        ("statement-1.txt", "."),
        ("2022/01/ots.txt", "2022/01"),
        ("2022/note.md", "2022"),
    }


def test_a_batch_publishes_the_same_files_as_one_by_one_builds(tmp_path: Path) -> None:
    archive = make_archive(tmp_path)
    (archive / "2022" / "bad.json").write_text(BAD_JSON, encoding="utf-8")
    report = tmp_path / "report.jsonl"
    result = subprocess.run(
        [*COMMAND, "build", archive, "--out", tmp_path / "site", "--jobs", "2", "--report", report],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2 and "bad.json" in errors[0] and "poem" in errors[0]
    assert errors[1].startswith("communique: 4 published, 1 failed, 0 warnings, ")
    batched = tree(tmp_path / "site")
    assert len(batched) == 8
    assert batched == one_by_one(archive, tmp_path / "alone")

    rows = {Path(row["source"]).name: row for row in map(json.loads, report.read_text(encoding="utf-8").splitlines())}
    assert set(rows) == {"statement-0.txt", "statement-1.txt", "ots.txt", "note.md", "bad.json"}
    assert rows["bad.json"]["status"] == "failed" and "poem" in rows["bad.json"]["error"]
    assert rows["ots.txt"]["status"] == "published" and rows["ots.txt"]["error"] is None
    with pikepdf.open(tmp_path / "site" / "2022" / "01" / "ots.pdf") as pdf:
        assert rows["ots.txt"]["pages"] == len(pdf.pages) >= 1
    assert all(row["seconds"] > 0 for name, row in rows.items() if name != "bad.json")


def test_a_csv_report_has_a_header_and_a_row_per_document(tmp_path: Path) -> None:
    archive = make_archive(tmp_path)
    report = tmp_path / "report.csv"
    code = cli.main(
        ["build", str(archive), "--out", str(tmp_path / "site"), "--jobs", "1", "-q", "--report", str(report)]
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert [row["status"] for row in rows] == ["published"] * 4
    assert set(rows[0]) == set(batch.REPORT_FIELDS)
    assert all(row["pages"] == "2" for row in rows if row["source"].endswith(".txt"))


def test_changed_publishes_only_what_is_new_or_missing(tmp_path: Path) -> None:
    archive = make_archive(tmp_path)
    site = tmp_path / "site"
    report = tmp_path / "r.jsonl"
    build = ["build", str(archive), "--out", str(site), "--jobs", "1", "--changed", "--report", str(report)]

    def statuses() -> dict[str, str]:
        lines = report.read_text(encoding="utf-8").splitlines()
        return {Path(row["source"]).name: row["status"] for row in map(json.loads, lines)}

    assert cli.main(build) == 0
    assert set(statuses().values()) == {"published"}
    assert cli.main(build) == 0
    assert set(statuses().values()) == {"unchanged"}

    (site / "statement-1.docx").unlink()
    source = archive / "2022" / "note.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA second paragraph.\n", encoding="utf-8")
    assert cli.main(build) == 0
    assert statuses() == {
        "statement-0.txt": "unchanged",
        "statement-1.txt": "published",
        "ots.txt": "unchanged",
        "note.md": "published",
    }
    assert (site / "statement-1.docx").is_file()


def test_two_sources_with_one_stem_fail_and_the_rest_publish(tmp_path: Path) -> None:
    archive = make_archive(tmp_path)
    shutil.copy(archive / "2022" / "note.md", archive / "statement-0.md")
    site = tmp_path / "site"
    assert cli.main(["build", str(archive), "--out", str(site), "--jobs", "1", "-q"]) == 1
    assert not (site / "statement-0.pdf").exists()
    assert (site / "statement-1.pdf").is_file()


def test_a_pool_worker_publishes_bytes_in_memory_as_the_files_a_build_writes(tmp_path: Path) -> None:
    options = Options(find_template("statement"))
    pool = batch.make_pool(1)
    try:
        results = [pool.submit(batch.run, batch.Task(SAMPLE, data=SAMPLE.read_bytes(), options=options)) for _ in "ab"]
        outputs = [future.result().outputs for future in results]
    finally:
        pool.shutdown()
    batch.run(batch.Task(SAMPLE, tmp_path, options))
    expected = {fmt: (tmp_path / f"{SAMPLE.stem}.{fmt}").read_bytes() for fmt in ("pdf", "docx")}
    assert outputs == [expected] * 2


def test_a_batch_replaces_its_workers_and_publishes_every_document(tmp_path: Path) -> None:
    archive = make_archive(tmp_path, copies=5)
    options = Options(find_template("statement"))
    tasks = [batch.Task(source, out, options) for source, out in batch.collect([archive], tmp_path / "site")]
    results = list(batch.partial_pool(2, recycle_after=2)(tasks, lambda: False))  # two pools of two workers
    assert sorted(r.source for r in results) == sorted(str(t.source) for t in tasks)
    assert {r.status for r in results} == {"published"}


def test_ctrl_c_stops_cleanly_and_changed_finishes_the_rest(tmp_path: Path) -> None:
    archive = make_archive(tmp_path, copies=40)
    site = tmp_path / "site"
    command = [sys.executable, "-m", "communique", "build", str(archive), "--out", str(site), "--jobs", "2"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while len(list(site.glob("*.pdf"))) < 3 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == cli.EXIT_INTERRUPTED, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("communique: interrupted: ")
    written = sorted(site.rglob("*"))
    assert not [p for p in written if p.name.startswith(".")]  # no temporary file left
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert 3 <= len(pdfs) < 42  # 40 copies of the sample, ots.txt and note.md
    for pdf in pdfs:  # what is there is whole, in pairs
        with pikepdf.open(pdf) as document:
            assert len(document.pages) >= 1
        with zipfile.ZipFile(pdf.with_suffix(".docx")) as docx:
            assert docx.testzip() is None
    assert len(stdout.splitlines()) == 2 * len(pdfs)

    rerun = subprocess.run([*command, "--changed"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    summary = rerun.stderr.strip().splitlines()[-1]
    assert f"{42 - len(pdfs)} published, 0 failed, {len(pdfs)} unchanged" in summary
    assert len(list(site.rglob("*.pdf"))) == 42


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A Dask cluster of two worker processes on this machine."""
    distributed = pytest.importorskip("distributed", reason="the communique[dask] extra is not installed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as local:
        yield local.scheduler_address


def test_a_dask_cluster_publishes_the_same_files_and_reports_a_failure(cluster: str, tmp_path: Path) -> None:
    archive = make_archive(tmp_path)
    (archive / "bad.json").write_text(BAD_JSON, encoding="utf-8")
    report = tmp_path / "report.jsonl"
    site = tmp_path / "site"
    code = cli.main(["build", str(archive), "--out", str(site), "--scheduler", cluster, "-q", "--report", str(report)])
    assert code == 1
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert sorted(row["status"] for row in rows) == ["failed"] + ["published"] * 4
    assert tree(site) == one_by_one(archive, tmp_path / "alone")


def test_sources_and_outputs_at_urls_publish_the_same_files_and_name_the_url(tmp_path: Path) -> None:
    fsspec = pytest.importorskip("fsspec", reason="the communique[dask] extra is not installed")
    archive = make_archive(tmp_path)
    (archive / "2022" / "bad.json").write_text(BAD_JSON, encoding="utf-8")
    memory = fsspec.filesystem("memory")
    memory.put(str(archive), "/t13/archive", recursive=True)
    report = tmp_path / "r.jsonl"
    build = ["build", "memory://t13/archive", "--out", "memory://t13/site", "-j", "1", "-q", "--report", str(report)]
    try:
        assert cli.main(build) == 1
        rows = {row["source"]: row for row in map(json.loads, report.read_text(encoding="utf-8").splitlines())}
        bad = "memory:///t13/archive/2022/bad.json"
        assert rows[bad]["status"] == "failed" and rows[bad]["error"].startswith(f"{bad}: ")
        assert rows["memory:///t13/archive/2022/01/ots.txt"]["files"] == [
            "memory://t13/site/2022/01/ots.pdf",
            "memory://t13/site/2022/01/ots.docx",
        ]
        published = {
            path.removeprefix("/t13/site/"): memory.cat_file(path) for path in memory.find("/t13/site", withdirs=False)
        }
        (archive / "2022" / "bad.json").unlink()
        assert published == one_by_one(archive, tmp_path / "alone")  # no .part file left either

        assert cli.main([*build, "--changed"]) == 1
        statuses = [json.loads(line)["status"] for line in report.read_text(encoding="utf-8").splitlines()]
        assert sorted(statuses) == ["failed"] + ["unchanged"] * 4
    finally:
        memory.rm("/t13", recursive=True)


def test_a_dask_cluster_reads_and_writes_urls(cluster: str, tmp_path: Path) -> None:
    pytest.importorskip("fsspec", reason="the communique[dask] extra is not installed")
    archive = make_archive(tmp_path)
    site = tmp_path / "site"
    code = cli.main(["build", archive.as_uri(), "--out", site.as_uri(), "--scheduler", cluster, "-q"])
    assert code == 0
    assert tree(site) == one_by_one(archive, tmp_path / "alone")


def test_outputs_at_urls_are_put_all_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A move that fails halfway puts back the previous build's files at
    their URLs, and no temporary or previous copy is left in the store."""
    fsspec = pytest.importorskip("fsspec", reason="the communique[dask] extra is not installed")
    from communique import remote

    memory = fsspec.filesystem("memory")
    pdf, docx = tmp_path / "a.pdf", tmp_path / "a.docx"
    urls = {pdf: "memory://t13put/site/a.pdf", docx: "memory://t13put/site/a.docx"}
    try:
        pdf.write_bytes(b"old pdf")
        docx.write_bytes(b"old docx")
        remote._put_together(urls)
        pdf.write_bytes(b"new pdf")
        docx.write_bytes(b"new docx")
        real_mv = type(memory).mv

        def failing_mv(self: object, source: str, target: str, **kwargs: object) -> None:
            if source.endswith(".a.docx.part"):
                raise OSError("the store went away")
            real_mv(self, source, target, **kwargs)

        monkeypatch.setattr(type(memory), "mv", failing_mv)
        with pytest.raises(CommuniqueError, match="cannot write output"):
            remote._put_together(urls)
        monkeypatch.undo()
        assert memory.cat_file("/t13put/site/a.pdf") == b"old pdf"
        assert memory.cat_file("/t13put/site/a.docx") == b"old docx"
        assert sorted(memory.find("/t13put")) == ["/t13put/site/a.docx", "/t13put/site/a.pdf"]
        remote._put_together(urls)
        assert memory.cat_file("/t13put/site/a.pdf") == b"new pdf"
        assert sorted(memory.find("/t13put")) == ["/t13put/site/a.docx", "/t13put/site/a.pdf"]
    finally:
        memory.rm("/t13put", recursive=True)


def test_the_cycle_collector_comes_back_for_a_second_document(tmp_path: Path) -> None:
    """The command line leaves Python's cycle collector off for a build of
    one document; a batch of several turns it on again (a long batch must
    free its cycles), and `main([...])` called by a program never turns it off."""
    import gc

    archive = make_archive(tmp_path)
    sources = sorted(archive.rglob("*.txt"))[:2]
    triples = [(source, tmp_path / "out", Options()) for source in sources]
    assert gc.isenabled()
    try:
        gc.disable()
        results, _ = batch.publish_batch(triples[:1])
        assert [r.status for r in results] == ["published"] and not gc.isenabled()
        results, _ = batch.publish_batch(triples)
        assert [r.status for r in results] == ["published"] * 2 and gc.isenabled()
    finally:
        gc.enable()
    assert cli.main(["build", str(sources[0]), "--out", str(tmp_path / "main"), "-q"]) == 0
    assert gc.isenabled()
