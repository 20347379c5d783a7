import io
import sqlite3
import subprocess
import sys

import pytest

from orderbook.cli import main, table


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A book file written by the demo, shared by the read-only tests."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert main(["demo", "--db", str(path), "--as-of", "2027-01-28"], out=io.StringIO()) == 0
    return path


def run(*argv):
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_the_demo_shows_progress_the_offtake_lines_and_every_order(tmp_path):
    code, text = run("demo", "--db", str(tmp_path / "d.sqlite"))
    assert code == 0
    assert text.splitlines()[0].startswith("[1/6] ")
    assert "SO-1001 for AcmeCorp: Three-year offtake" in text
    for line_id in ("d1 ", "d2 ", "d3 ", "d4 "):
        assert line_id in text
    for number in ("SO-1001", "SO-1002", "SO-1003", "SO-1004"):
        assert number in text
    assert "Cancelled" in text
    assert "Partially shipped" in text
    assert (tmp_path / "d.sqlite").is_file()


def test_the_demo_refuses_to_write_over_an_existing_file(demo_db, capsys):
    code, _ = run("demo", "--db", str(demo_db))
    assert code == 2
    assert "already exists" in capsys.readouterr().err


def test_report_filters_by_status_and_customer(demo_db):
    code, text = run(
        "report", "--db", str(demo_db), "--as-of", "2027-02-01", "--customer", "globex"
    )
    assert code == 0
    assert "Orders as of 2027-02-01: 2" in text
    assert "SO-1002" in text
    assert "SO-1004" in text
    assert "SO-1001" not in text
    code, text = run("report", "--db", str(demo_db), "--status", "cancelled")
    assert "SO-1004" in text
    assert "SO-1002" not in text


def test_events_since_a_number_lists_only_the_later_ones(demo_db):
    code, text = run("events", "--db", str(demo_db), "--since", "31")
    rows = text.splitlines()[2:]
    assert code == 0
    assert [row.split()[0] for row in rows] == ["32", "33"]
    assert "StatusChanged" in rows[-1]
    assert "o-1004" in rows[-1]


@pytest.mark.parametrize("command", ["report", "events"])
def test_a_missing_file_is_a_one_line_error_with_status_2(tmp_path, capsys, command):
    code, text = run(command, "--db", str(tmp_path / "nope.sqlite"))
    err = capsys.readouterr().err
    assert (code, text) == (2, "")
    assert err.count("\n") == 1
    assert "no such book file" in err
    assert not (tmp_path / "nope.sqlite").exists()


def test_a_corrupt_file_is_a_one_line_error_with_status_2(tmp_path, capsys):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("this is not a database")
    assert run("report", "--db", str(bad))[0] == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "not an orderbook database" in err


def test_a_locked_file_is_a_one_line_error_with_status_2(demo_db, capsys):
    holder = sqlite3.connect(demo_db, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE events SET kind = kind WHERE sequence = 1")
        assert run("events", "--db", str(demo_db))[0] == 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "locked" in err


def test_a_table_aligns_its_columns():
    assert table(["a", "bb"], [["xyz", "1"]], right=[1]).splitlines() == [
        "a    bb",
        "---  --",
        "xyz   1",
    ]


def test_an_unknown_command_exits_with_a_usage_error():
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"], out=io.StringIO())
    assert caught.value.code == 2


def test_python_dash_m_runs_the_demo():
    result = subprocess.run(
        [sys.executable, "-m", "orderbook", "demo"], capture_output=True, text=True, check=True
    )
    assert "SO-1001 for AcmeCorp" in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--customer", "caf\udce9"],  # what a shell gives for $'caf\xe9'
        ["report", "--status", "\udcff"],
        ["export", "--customer", "caf\udce9"],
        ["render", "o-\udce9", "-o", "{out}"],
        ["check", "--workflow", "caf\udce9"],
        ["events", "--since", "-1"],
    ],
)
def test_an_argument_no_book_could_match_is_a_one_line_error_with_status_2(
    demo_db, tmp_path, capsys, argv
):
    before = demo_db.read_bytes()
    argv = [a.format(out=tmp_path / "out.pdf") for a in argv]
    assert run(argv[0], "--db", str(demo_db), *argv[1:]) == (2, "")
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("orderbook: error: ")
    assert demo_db.read_bytes() == before
    assert not (tmp_path / "out.pdf").exists()


def test_events_since_a_number_beyond_sql_integers_lists_none(demo_db):
    code, text = run("events", "--db", str(demo_db), "--since", "99999999999999999999")
    assert code == 0
    assert text.splitlines()[2:] == []
