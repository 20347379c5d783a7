"""retry and retrying: conflicts are retried with growing, jittered waits; nothing else is."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderbook import ConflictError, NotFound, ValidationError
from orderbook.retry import Backoff, retry, retrying


def failing(times, error=None, result="done"):
    """A function that raises ``error`` (a conflict) ``times`` times, then returns."""
    calls = []

    def fn():
        calls.append(1)
        if len(calls) <= times:
            raise error or ConflictError("lot", "tea", "stale version")
        return result

    return fn, calls


class _Fixed:
    """A random source that always answers the same fraction."""

    def __init__(self, value):
        self.value = value

    def random(self):
        return self.value


def test_a_call_that_succeeds_at_once_never_sleeps():
    fn, calls = failing(0)
    waits = []
    assert retry(fn, sleep=waits.append) == "done"
    assert (len(calls), waits) == (1, [])


def test_conflicts_are_retried_with_doubling_ceilings_scaled_by_the_jitter():
    fn, calls = failing(3)
    waits = []
    assert retry(fn, sleep=waits.append, random=_Fixed(0.5)) == "done"
    assert len(calls) == 4
    assert waits == [0.01, 0.02, 0.04]


def test_the_wait_never_exceeds_the_cap():
    fn, _ = failing(6)
    waits = []
    retry(fn, attempts=7, backoff=Backoff(base=0.1, cap=0.25), sleep=waits.append,
          random=_Fixed(0.999))  # fmt: skip
    assert max(waits) < 0.25
    assert waits[-1] == pytest.approx(0.25 * 0.999)


def test_the_last_conflict_goes_out_once_every_attempt_failed():
    fn, calls = failing(10)
    with pytest.raises(ConflictError):
        retry(fn, attempts=3, sleep=lambda _: None)
    assert len(calls) == 3


def test_an_error_not_named_in_on_goes_out_at_once():
    fn, calls = failing(2, error=NotFound("order", "o1"))
    with pytest.raises(NotFound):
        retry(fn, sleep=lambda _: None)
    assert len(calls) == 1


def test_the_same_seed_gives_the_same_waits():
    def waits_for(seed):
        fn, _ = failing(4)
        waits = []
        retry(fn, sleep=waits.append, random=random.Random(seed))
        return waits

    assert waits_for(3) == waits_for(3)
    assert waits_for(3) != waits_for(4)


@given(st.integers(min_value=1, max_value=60), st.floats(min_value=0, max_value=0.999999))
def test_every_wait_lies_between_zero_and_the_ceiling(failures, fraction):
    backoff = Backoff()
    wait = backoff.wait(failures, _Fixed(fraction))
    assert 0 <= wait <= backoff.ceiling(failures) <= backoff.cap


def test_the_decorator_retries_every_call_with_its_arguments():
    seen = []

    @retrying(attempts=4, sleep=lambda _: None)
    def reserve(quantity, *, lot):
        seen.append((quantity, lot))
        if len(seen) < 3:
            raise ConflictError("lot", lot, "stale version")
        return quantity

    assert reserve(2, lot="tea") == 2
    assert seen == [(2, "tea")] * 3
    assert reserve.__name__ == "reserve"


def test_the_bare_decorator_uses_the_defaults():
    @retrying
    def answer():
        return 42

    assert answer() == 42


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"attempts": 0}, "attempts"),
        ({"attempts": True}, "attempts"),
        ({"attempts": 2.5}, "attempts"),
        ({"on": ()}, "on"),
        ({"on": (ValueError, "x")}, "on"),
        ({"on": KeyboardInterrupt}, "on"),
    ],
)
def test_bad_arguments_are_refused_before_the_first_call(arguments, field):
    fn, calls = failing(0)
    with pytest.raises(ValidationError, match=field):
        retry(fn, **arguments)
    with pytest.raises(ValidationError, match=field):
        retrying(**arguments)
    assert calls == []


@pytest.mark.parametrize(
    ("arguments", "field"),
    [({"base": -1}, "base"), ({"factor": 0.5}, "factor"), ({"cap": float("nan")}, "cap"),
     ({"base": "1"}, "base")],
)  # fmt: skip
def test_a_backoff_refuses_bad_numbers(arguments, field):
    with pytest.raises(ValidationError, match=field):
        Backoff(**arguments)
