"""After a crash: a truncated published partition is quarantined with a report and blocks
neither the source's next run nor the build; staging leftovers are cleaned on the next run."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicpulse.landing import land_source, partitions
from civicpulse.settings import Settings
from civicpulse.transform import build_warehouse

SOURCE, ENTITY = "ti_cpi", "indicator_values"


def test_a_truncated_partition_is_quarantined_and_the_source_goes_on(settings: Settings) -> None:
    land_source(SOURCE, "2026-11-20", settings)
    land_source(SOURCE, "2026-11-21", settings)
    folder = settings.raw_root / SOURCE / ENTITY
    latest = folder / "2026-11-21.parquet"
    whole = latest.read_bytes()
    latest.write_bytes(whole[: len(whole) // 2])  # the disk filled up mid-copy

    summary = land_source(SOURCE, "2026-11-22", settings)  # would read the broken one

    assert summary.status == "published"
    assert summary.new == 0  # compared with 2026-11-20, the last readable day
    assert [p.name for p in partitions(folder)] == ["2026-11-20.parquet", "2026-11-22.parquet"]
    (moved,) = (settings.quarantine_root / SOURCE / ENTITY).glob("2026-11-21_unreadable_*")
    assert (moved / "batch.parquet").read_bytes() == whole[: len(whole) // 2]  # nothing lost
    report = (moved / "report.md").read_text(encoding="utf-8")
    assert "ti_cpi indicator_values 2026-11-21: unreadable partition" in report

    latest = folder / "2026-11-22.parquet"
    latest.write_bytes(latest.read_bytes()[:100])
    build_warehouse(settings, enrich=False)  # the build moves it aside too, and goes on
    assert [p.name for p in partitions(folder)] == ["2026-11-20.parquet"]


def test_an_interrupted_runs_leftovers_are_removed_by_the_next(settings: Settings) -> None:
    land_source(SOURCE, "2026-11-20", settings)
    staged = settings.raw_root / SOURCE / ENTITY / ".2026-11-21.1234.parquet.tmp"
    partial = settings.archive_root / SOURCE / "2026-11-21_20261121T020000Z.warc.gz.part"
    summary = settings.runs_root / SOURCE / ".2026-11-21.json.5678.tmp"
    validation = settings.data_root / "quality" / SOURCE / ENTITY / ".2026-11-21.json.9abc.tmp"
    staged.write_bytes(b"PAR1 half a batch")
    partial.write_bytes(b"half an archive")
    summary.write_text('{"source": "partner')
    validation.write_text('{"suite": ')

    land_source(SOURCE, "2026-11-21", settings)

    assert not any(path.exists() for path in (staged, partial, summary, validation))
    assert not list(settings.data_root.rglob("*.tmp"))
    assert not list((settings.archive_root / SOURCE).glob("*.part"))


def test_a_replaced_file_is_on_disk_before_its_rename_and_the_rename_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file's bytes are fsynced before the rename (else a crash can leave the new name
    on an empty file), and its folder after (else the rename itself can be lost)."""
    import os

    from civicpulse.files import replaced_atomically

    calls: list[tuple[str, object]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: object, dst: object) -> None:
        calls.append(("replace", str(dst)))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "day.parquet"
    with replaced_atomically(target) as staged:
        staged.write_bytes(b"data")
        staged_name = str(staged)

    assert calls == [
        ("fsync", staged_name),
        ("replace", str(target)),
        ("fsync", str(tmp_path)),
    ]
    assert target.read_bytes() == b"data"
