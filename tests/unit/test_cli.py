import io
import subprocess
import sys

import pytest

from orderbook import order_totals
from orderbook.cli import demo_order, main


def test_demo_prints_every_line_and_the_order_totals():
    out = io.StringIO()
    assert main(["demo"], out=out) == 0
    text = out.getvalue()
    _, order = demo_order()
    totals = order_totals(order)
    for line in order.lines:
        assert f"{line.id} " in text
    assert str(totals.gross) in text
    assert str(totals.net) in text
    assert "tax 10%" in text


def test_an_unknown_command_exits_with_a_usage_error():
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"], out=io.StringIO())
    assert caught.value.code == 2


def test_python_dash_m_runs_the_demo():
    result = subprocess.run(
        [sys.executable, "-m", "orderbook", "demo"], capture_output=True, text=True, check=True
    )
    assert "Order SO-1001 for AcmeCorp" in result.stdout
