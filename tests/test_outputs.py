"""Outputs under signals and full disks (issue 21): whatever ends a run, an output is written whole or
not at all, nothing staged stays behind, and the last line says what is on disk. Real processes and
real signals; no timing is asserted, only generous bounds against a hang."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from clirun import invoke

SETA = str(Path(sys.executable).parent / "seta")
#: a hang, not a slow machine: every run here takes seconds
HANG_S = 240


def _start(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [SETA, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def _staging(folder: Path) -> list[Path]:
    """What a run stages in `folder` (its probe of writability apart)."""
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.name.startswith(".seta-") and not p.name.startswith(".seta-probe-")]


def _leftovers(root: Path) -> list[Path]:
    """Staging folders and half-written files anywhere under `root`."""
    return [p for p in root.rglob("*") if p.name.startswith(".seta-") or p.name.endswith(".tmp")]


def _signal_while_staging(process: subprocess.Popen[str], folder: Path, send: Callable[[], None]) -> None:
    """Wait until the run stages its files in `folder`, then `send` its signals (the write is then
    under way: charts and workbooks take a good fraction of a second at least)."""
    deadline = time.monotonic() + HANG_S
    while not _staging(folder):
        assert process.poll() is None, "the run ended before it staged anything"
        assert time.monotonic() < deadline, "no staging seen"
        time.sleep(0.001)
    send()


def _finish(process: subprocess.Popen[str]) -> str:
    _out, err = process.communicate(timeout=HANG_S)
    assert "Traceback" not in err, err
    return err


# -- SIGTERM ----------------------------------------------------------------------------------------


OLD = "old, from an earlier run\n"


@pytest.mark.parametrize(
    ("command", "names"),
    [
        (["solve", "kempen", "--no-explain"], ["pools.csv", "municipalities.csv", "summary.json", "seta.xlsx"]),
        (["robust", "helden", "--draws", "3"], ["draws.csv", "robust.json", "robust-pools.png", "robust.html"]),
    ],
)
@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_sigterm_while_writing_out_leaves_no_staging_and_no_partial_output(
    tmp_path: Path, command: list[str], names: list[str], existing: bool
) -> None:
    out = tmp_path / "out"
    if existing:
        out.mkdir()
        for name in names:
            (out / name).write_text(OLD, encoding="utf-8")
    process = _start(*command, "--out", out)
    _signal_while_staging(process, out, lambda: os.kill(process.pid, signal.SIGTERM))
    err = _finish(process)
    assert process.returncode == 143, err
    assert _leftovers(tmp_path) == []
    if "nothing was kept" in err.splitlines()[-1]:  # ended before the files were moved into place
        assert "Terminated: nothing was kept." in err
        if existing:
            assert sorted(p.name for p in out.iterdir()) == sorted(names)
            assert all((out / name).read_text(encoding="utf-8") == OLD for name in names)
        else:
            assert not out.exists()
    else:  # ... or while they were: then every one of them is new, and the message says so
        assert f"Terminated: {out} written whole before it; nothing else was kept." in err
        assert all((out / name).read_bytes() != OLD.encode() for name in names)


def test_sigterm_while_the_solver_runs_in_this_process_ends_the_run(tmp_path: Path) -> None:
    """HiGHS swallows an exception raised in its callback, where the signal lands: the run must end
    as SIGTERM asks all the same, with nothing written."""
    scenario = tmp_path / "limburg.yaml"
    scenario.write_text("municipalities:\n  dataset: nl-2024\n  members: {province: Limburg}\n", encoding="utf-8")
    out = tmp_path / "out"
    whole = ["--decompose", "none", "--time-limit", "120"]  # one model, solved in this process
    process = _start("solve", scenario, "--no-explain", *whole, "--out", out, "--format", "json")
    assert process.stderr is not None
    lines = []
    for line in process.stderr:  # a progress line of the solver: it is running
        lines.append(line)
        if " best " in line:
            break
    os.kill(process.pid, signal.SIGTERM)
    stdout, rest = process.communicate(timeout=HANG_S)
    err = "".join(lines) + rest
    assert process.returncode == 143, err
    assert err.splitlines()[-1] == "Terminated: nothing was kept.", err
    assert stdout == ""
    assert not out.exists() and _leftovers(tmp_path) == []


def test_sigterm_inside_a_finaliser_ends_the_run_without_a_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    """A signal can land while Python runs a `__del__` or a weakref callback, which print and drop
    what is raised there (seen in CI, in importlib's module cache): no trace on stderr, and the run
    still counts as ended by SIGTERM."""
    from cli.output import Terminated, ended_by, raise_if_ended, signals_for

    class SignalledWhenCollected:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):  # the handler runs between two bytecodes, here in __del__
                pass

    printed: list[BaseException | None] = []  # what Python's hook would print as a trace
    monkeypatch.setattr(sys, "unraisablehook", lambda report: printed.append(report.exc_value))
    stop = threading.Event()
    with signals_for(stop):
        SignalledWhenCollected()
        assert isinstance(ended_by(), Terminated)
        assert stop.is_set()
        with pytest.raises(Terminated):
            raise_if_ended()
    assert printed == []


# -- Ctrl-C while the report is written ---------------------------------------------------------------


def _report(tmp_path: Path) -> tuple[subprocess.Popen[str], Path, Path]:
    report, png = tmp_path / "r.html", tmp_path / "png"
    report.write_text(OLD, encoding="utf-8")
    return _start("report", "helden", "--no-explain", "--out", report, "--png", png), report, png


def test_two_ctrl_c_while_the_report_is_written_say_what_is_on_disk(tmp_path: Path) -> None:
    process, report, png = _report(tmp_path)

    def twice() -> None:
        os.killpg(process.pid, signal.SIGINT)
        time.sleep(0.05)  # two key presses, not one
        os.killpg(process.pid, signal.SIGINT)

    _signal_while_staging(process, png, twice)
    err = _finish(process)
    last = err.splitlines()[-1]
    assert _leftovers(tmp_path) == []
    assert "the report was not written" not in err or report.read_text(encoding="utf-8") == OLD
    if last == "Interrupted: nothing was kept.":
        assert process.returncode == 130
        assert report.read_text(encoding="utf-8") == OLD and not png.exists()
    else:  # the second Ctrl-C came once the report was in place: it is whole, and the line says so
        assert process.returncode == 130, err
        assert last.startswith(f"Interrupted: {report} written whole before it"), err
        assert report.read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_one_ctrl_c_while_the_report_is_written_keeps_it_and_says_so(tmp_path: Path) -> None:
    process, report, png = _report(tmp_path)
    _signal_while_staging(process, png, lambda: os.killpg(process.pid, signal.SIGINT))
    stdout, err = process.communicate(timeout=HANG_S)
    assert process.returncode == 0, err
    assert "Interrupted after the report was complete; it was written whole." in err
    assert f"Wrote {report}" in stdout
    assert "the report was not written" not in err
    assert report.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert (png / "end-states.png").exists() and _leftovers(tmp_path) == []


# -- charts of one or two draws -------------------------------------------------------------------------


def test_robust_with_one_draw_succeeds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("robust", "helden", "--draws", "1", "--out", out)
    assert result.exit_code == 0, result.output
    assert "robust-drivers.png is not drawn: a rank correlation takes at least three draws" in result.stderr
    assert (out / "robust-pools.png").exists()
    # one draw, and the recommendation is the best in it: no regret to draw, and it says so
    assert "robust-regret.png is not drawn: the recommended configuration is the best in all 1 draws" in result.stderr
    assert not (out / "robust-drivers.png").exists() and not (out / "robust-regret.png").exists()
    page = (out / "robust.html").read_text(encoding="utf-8")
    assert "No chart: a rank correlation takes at least three draws with a solution" in page
    assert "1 draws (LHS, seed 0)" in result.stdout


def test_robust_with_two_draws_writes_its_files_in_dutch(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("robust", "helden", "--draws", "2", "--out", out, "--lang", "nl")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert "draws.csv" in written and "robust.html" in written and "robust-drivers.png" not in written
    page = (out / "robust.html").read_text(encoding="utf-8")
    assert "Geen grafiek: een rangcorrelatie vraagt minstens drie trekkingen met een oplossing" in page
    assert len((out / "draws.csv").read_text(encoding="utf-8").splitlines()) == 3  # the header and both draws


# -- full disks -----------------------------------------------------------------------------------------


def _file_size_limit(size: int) -> Callable[[], None]:
    """In the child: files may grow to `size` bytes; a write past it fails with EFBIG (a full disk to
    the writer) instead of killing the process with SIGXFSZ."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.mark.parametrize(
    ("command", "place"),
    [
        (["solve", "kempen", "--no-explain", "--out", "{tmp}/out"], "--out {tmp}/out"),
        (["solve", "kempen", "--no-explain", "--write-lp", "{tmp}/model.lp"], "--write-lp {tmp}/model.lp"),
        (["report", "helden", "--no-explain", "--out", "{tmp}/r.html"], "--out {tmp}/r.html"),
        (["report", "helden", "--no-explain", "--out", "{tmp}/r.html", "--png", "{tmp}/png"], "--png {tmp}/png"),
        (["robust", "helden", "--draws", "1", "--out", "{tmp}/out"], "--out {tmp}/out"),
        (["compare", "helden", "--set", "weights.quality=1", "--out", "{tmp}/out"], "--out {tmp}/out"),
        (["init", "{tmp}/study"], "init {tmp}/study"),
    ],
    ids=["solve", "write-lp", "report", "report-png", "robust", "compare", "init"],
)
def test_a_full_disk_is_bad_output_with_its_place_and_nothing_half_written(
    tmp_path: Path, command: list[str], place: str
) -> None:
    done = subprocess.run(
        [SETA, *(word.format(tmp=tmp_path) for word in command)],
        capture_output=True,
        text=True,
        timeout=HANG_S,
        preexec_fn=_file_size_limit(256),
    )
    assert done.returncode == 2, done.stderr
    expected = f"{place.format(tmp=tmp_path)}: disk full (File too large); nothing was written"
    assert done.stderr.splitlines()[-1] == expected
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_full_tmpfs_is_bad_output(tmp_path: Path) -> None:
    """The same on a real full file system (ENOSPC), where this machine lets us mount one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(disk)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        for command, place in (
            (["solve", "kempen", "--no-explain", "--out", disk / "out"], f"--out {disk / 'out'}"),
            (["report", "helden", "--no-explain", "--out", disk / "r.html"], f"--out {disk / 'r.html'}"),
        ):
            done = subprocess.run([SETA, *map(str, command)], capture_output=True, text=True, timeout=HANG_S)
            assert done.returncode == 2, done.stderr
            assert done.stderr.splitlines()[-1] == f"{place}: disk full (No space left on device); nothing was written"
            assert list(disk.iterdir()) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


@pytest.mark.parametrize("command", [["solve", "kempen", "--no-explain"], ["list"], ["validate", "helden"]])
def test_standard_output_that_cannot_be_written_is_one_line_and_exit_2(command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([SETA, *command], stdout=full, stderr=subprocess.PIPE, text=True, timeout=HANG_S)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1] == "standard output: disk full (No space left on device)"
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_an_out_that_is_a_file_is_bad_output_before_solving(tmp_path: Path) -> None:
    blocker = tmp_path / "results"
    blocker.write_text(OLD, encoding="utf-8")
    result = invoke("solve", "kempen", "--out", blocker)
    assert result.exit_code == 2, result.output
    assert f"--out {blocker}: is a file, expected a folder" in result.stderr
    assert "Solving" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == OLD
    dutch = invoke("solve", "kempen", "--out", blocker, "--lang", "nl")
    assert dutch.exit_code == 2, dutch.output
    assert dutch.stderr.splitlines()[-1] == f"--out {blocker}: is een bestand, verwacht een map"
    inside = blocker / "results"
    dutch = invoke("solve", "kempen", "--out", inside, "--lang", "nl")
    assert dutch.stderr.splitlines()[-1] == (
        f"--out {inside}: {blocker} is een bestand, dus de map kan niet worden gemaakt"
    )


# -- --debug ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [True, False])
def test_an_internal_error_exits_70_with_or_without_debug(monkeypatch: pytest.MonkeyPatch, debug: bool) -> None:
    """A bug while the model is built (here: the model builder itself fails) is exit 70; --debug adds
    the traceback and keeps the code (it gave 1, which means 'no solution')."""
    import optimizer.task

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the model builder")

    monkeypatch.setattr(optimizer.task, "build_model", broken)
    result = invoke(*(["--debug"] if debug else []), "solve", "kempen", "--no-explain")
    assert result.exit_code == 70, result.output
    if debug:
        assert "Traceback" in result.stderr and "RuntimeError: a bug in the model builder" in result.stderr
        assert result.stderr.splitlines()[-1] == "internal error: a bug in the model builder"
    else:
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-1] == (
            "internal error: a bug in the model builder (run with --debug for the traceback)"
        )


# -- moving an output into place ---------------------------------------------------------------------------


def _two_files(out: Path) -> None:
    out.mkdir()
    for name in ("a.csv", "b.csv"):
        (out / name).write_text(OLD, encoding="utf-8")


def test_a_signal_while_an_output_is_moved_into_place_waits_until_every_file_is_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from cli import output

    out = tmp_path / "out"
    _two_files(out)
    moves = []
    replace = Path.replace

    def move_and_terminate(self: Path, target: Path) -> Path:
        moves.append(target)
        if len(moves) == 2:  # between the first file's move and the second's
            os.kill(os.getpid(), signal.SIGTERM)
        return replace(self, target)

    with (
        output.signals_for(threading.Event()),
        pytest.raises(output.Terminated),
        output.staged(out, "--out") as stage,
    ):
        for name in ("a.csv", "b.csv"):
            stage.path(name).write_text("new\n", encoding="utf-8")
        monkeypatch.setattr(Path, "replace", move_and_terminate)
    monkeypatch.undo()
    assert [str(out)] == output.COMMITTED
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.csv"]
    assert all((out / name).read_text(encoding="utf-8") == "new\n" for name in ("a.csv", "b.csv"))


def test_a_move_that_fails_puts_back_what_it_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cli import output

    out = tmp_path / "out"
    _two_files(out)
    replace = Path.replace

    def fail_on_b(self: Path, target: Path) -> Path:
        if self.name == "b.csv" and self.parent.name.startswith(".seta-"):  # the new b.csv
            raise OSError(5, "Input/output error", str(target))
        return replace(self, target)

    with pytest.raises(OSError), output.staged(out, "--out") as stage:
        for name in ("a.csv", "b.csv"):
            stage.path(name).write_text("new\n", encoding="utf-8")
        monkeypatch.setattr(Path, "replace", fail_on_b)
    monkeypatch.undo()
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.csv"]
    assert all((out / name).read_text(encoding="utf-8") == OLD for name in ("a.csv", "b.csv"))


def test_robust_with_three_draws_says_no_correlation_can_be_told_from_noise(tmp_path: Path) -> None:
    # 2 / sqrt(3) = 1.15: a threshold above any correlation would say nothing; the note says why instead
    out = tmp_path / "out"
    result = invoke("robust", "helden", "--draws", "3", "--out", out)
    assert result.exit_code == 0, result.output
    page = (out / "robust.html").read_text(encoding="utf-8")
    assert "With 3 draws no coefficient can be told from noise (that takes at least 5)." in page
    assert "Below about 1.15" not in page
