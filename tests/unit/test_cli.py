import datetime as dt
import io
import os
import select
import sqlite3
import subprocess
import sys
import unicodedata

import pytest

import orderbook
from orderbook import Customer, FixedClock, Money, OrderBook, OrderLine, Product, cli, presets
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


# -- conventions --------------------------------------------------------------------------------

COMMANDS = ["demo", "report", "events", "render", "export", "check"]


class Terminal(io.StringIO):
    """Standard error as a terminal would be: it says it is one."""

    def isatty(self):
        return True


def usage(capsys, *argv):
    with pytest.raises(SystemExit) as caught:
        main(list(argv), out=io.StringIO())
    assert caught.value.code == 0
    return capsys.readouterr().out


def test_version_prints_the_installed_version(capsys):
    assert usage(capsys, "--version") == f"orderbook {orderbook.__version__}\n"


def test_the_top_help_describes_the_tool_and_lists_every_command(capsys):
    text = usage(capsys, "--help")
    assert "demo|report|events" not in text
    assert "orderbook's command line" in text
    for command in COMMANDS:
        assert f"    {command} " in text
    assert "examples:\n  python -m orderbook demo" in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_sub_command_help_has_a_description_and_an_example(capsys, command):
    text = usage(capsys, command, "--help")
    description = text.split("\n\n")[1]
    assert len(description.split()) >= 10, description
    examples = text.split("examples:\n")[1].splitlines()
    assert examples
    assert all(line.startswith(f"  python -m orderbook {command}") for line in examples)


def build_report_book(path):
    """Three orders in two currencies, placed in an order neither their numbers nor their
    random ids follow."""
    clock = FixedClock(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC))
    with OrderBook.open(path, clock=clock) as book:
        book.save_customer(Customer(id="acme", name="AcmeCorp", currency="EUR"))
        book.save_customer(Customer(id="umi", name="Umi Trading", currency="JPY"))
        book.save_product(Product(sku="TEA"))
        placed = []
        for number, customer, price in [("SO-10", "acme", Money("1234.56", "EUR")),
                                        ("SO-2", "umi", Money("150000", "JPY")),
                                        ("SO-1", "acme", Money("10.01", "EUR"))]:  # fmt: skip
            line = OrderLine(id="l1", sku="TEA", quantity=10, unit_price=price)
            placed.append(book.place_order(customer, [line], number=number))
            clock.advance(dt.timedelta(hours=1))
        book.transition(placed[0].id, "confirmed")
        book.invoice(placed[0].id, {"l1": 5}, issue=True)
    return [order.id for order in placed]


def test_report_shows_number_and_id_by_placed_date_with_grouped_amounts_and_totals(tmp_path):
    path = tmp_path / "b.sqlite"
    ids = build_report_book(path)
    code, text = run("report", "--db", str(path), "--as-of", "2027-03-01")
    assert code == 0
    rows = text.splitlines()
    assert rows[0] == "Orders as of 2027-03-01: 3, by placed date"
    assert rows[2].split()[:3] == ["number", "id", "customer"]
    body = rows[4:7]
    assert [row.split()[:2] for row in body] == [["SO-10", ids[0]], ["SO-2", ids[1]],
                                                 ["SO-1", ids[2]]]  # fmt: skip
    assert "EUR 12,345.60" in body[0]
    assert "JPY 1,500,000" in body[1]
    assert rows[7] == rows[3]  # a rule above the totals
    assert [row.split() for row in rows[8:]] == [
        ["total", "2", "orders", "EUR", "12,445.70", "EUR", "6,172.80"],
        ["total", "1", "order", "JPY", "1,500,000", "JPY", "0"],
    ]


def test_report_writes_amounts_and_percentages_as_a_locale_does(demo_db):
    code, text = run("report", "--db", str(demo_db), "--as-of", "2027-02-01", "--locale", "de_DE")
    assert code == 0
    assert "30.232,06\xa0$" in text
    assert "36,35\xa0%" in text
    assert "32.437,06\xa0$" in text.splitlines()[-1]


@pytest.mark.parametrize("preset", ["standard", "mrpeasy"])
def test_an_unknown_status_is_an_error_that_lists_the_books_statuses(tmp_path, capsys, preset):
    path = tmp_path / "b.sqlite"
    with OrderBook.open(path, workflow=presets.by_name(preset)) as book:
        book.save_product(Product(sku="TEA"))  # the first command records the workflow
    assert run("report", "--db", str(path), "--status", "nonsense") == (2, "")
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no status 'nonsense'" in err
    assert err.rstrip().endswith(", ".join(presets.by_name(preset).codes))


def test_report_of_an_unknown_customer_is_an_error(demo_db, capsys):
    assert run("report", "--db", str(demo_db), "--customer", "nobody") == (2, "")
    assert "no customer with id 'nobody'" in capsys.readouterr().err


def visible(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_events_keep_to_100_columns_and_mark_the_details_they_cut(demo_db):
    code, text = run("events", "--db", str(demo_db))
    rows = text.splitlines()
    assert code == 0
    assert max(visible(row) for row in rows) <= 100
    cut = [row for row in rows if row.endswith("…")]
    assert any("WorkflowRecorded" in row for row in cut)
    code, wide = run("events", "--db", str(demo_db), "--wide")
    assert "…" not in wide
    assert max(visible(row) for row in wide.splitlines()) > 100
    recorded = next(row for row in wide.splitlines() if "WorkflowRecorded" in row)
    assert "'initial': 'draft'" in recorded
    shown = next(row for row in rows if "WorkflowRecorded" in row)
    assert recorded.split("  details")[0].startswith(shown[:4])
    assert shown.split()[-1].endswith("…")


def test_events_of_a_book_with_random_ids_and_long_names_keep_to_100_columns(tmp_path):
    path = tmp_path / "b.sqlite"
    build_report_book(path)
    with OrderBook.open(path) as book:
        book.save_customer(Customer(id="東京" * 30, name="Tokyo", currency="JPY"))
    code, text = run("events", "--db", str(path))
    assert code == 0
    assert max(visible(row) for row in text.splitlines()) <= 100
    assert text.count("…") >= 1


def test_check_and_export_show_progress_on_a_terminal_and_wipe_it(demo_db, monkeypatch):
    for argv, label in [(["check"], "check: reading"), (["export"], "export: summarizing 4")]:
        terminal = Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        code, text = run(argv[0], "--db", str(demo_db), *argv[1:])
        err = terminal.getvalue()
        assert code == 0
        assert label in err
        assert err.endswith("\r")
        assert err.split("\r")[-2].strip() == ""  # the last thing drawn is blank
        assert label.split(":")[0] + ":" not in text


def test_a_quick_demo_or_report_shows_no_progress_and_a_slow_one_does(demo_db, tmp_path,
                                                                       monkeypatch):  # fmt: skip
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert run("report", "--db", str(demo_db))[0] == 0
    assert run("demo", "--db", str(tmp_path / "a.sqlite"))[0] == 0
    assert terminal.getvalue() == ""
    monkeypatch.setattr(cli, "SLOW", 0)  # as if each had taken long
    code, text = run("demo", "--db", str(tmp_path / "b.sqlite"))
    assert code == 0
    assert "demo:" in terminal.getvalue()
    assert "demo:" not in text
    assert run("report", "--db", str(demo_db))[0] == 0
    assert "report:" in terminal.getvalue()


def test_progress_goes_to_a_real_terminal_and_never_to_a_pipe(demo_db):
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        command = [sys.executable, "-m", "orderbook", "check", "--db", str(demo_db)]
        on_terminal = subprocess.run(command, stdout=subprocess.PIPE, stderr=slave, timeout=120)
        os.close(slave)
        drawn = b""
        while select.select([master], [], [], 1)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal's other end is closed
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(master)
    assert on_terminal.returncode == 0
    assert b"check: reading every record" in drawn
    assert b"check:" not in on_terminal.stdout
    piped = subprocess.run(command, capture_output=True, timeout=120)
    assert (piped.returncode, piped.stderr) == (0, b"")
    assert piped.stdout == on_terminal.stdout


def test_report_with_a_locale_no_one_knows_is_a_one_line_error(demo_db, capsys):
    assert run("report", "--db", str(demo_db), "--locale", "nowhere") == (2, "")
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "must be a known locale" in err
