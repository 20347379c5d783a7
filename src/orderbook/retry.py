"""Retry a command that lost a race: exponential backoff with jitter.

A command refused with :class:`~orderbook.errors.ConflictError` changed nothing: another
writer won, and running it again on fresh data may succeed. :func:`retry` does that, waiting a
little longer before each new attempt, with random jitter so that writers who collided do not
collide again in step. The random source and the sleep are parameters, so a test is exact.

>>> import random
>>> from orderbook.errors import ConflictError
>>> outcomes = iter([ConflictError("lot", "tea", "stale version"), "saved"])
>>> def save():
...     outcome = next(outcomes)
...     if isinstance(outcome, Exception):
...         raise outcome
...     return outcome
>>> waits = []
>>> retry(save, sleep=waits.append, random=random.Random(7))
'saved'
>>> [round(w, 4) for w in waits]
[0.0065]
"""

from __future__ import annotations

import functools
import random as _random
import time
from collections.abc import Callable
from typing import Protocol, TypeVar, overload

import attrs

from orderbook.errors import ConflictError, ValidationError

__all__ = ["Backoff", "RandomSource", "retry", "retrying"]

T = TypeVar("T")


class RandomSource(Protocol):
    """Where the jitter comes from: ``random.Random(seed)`` in tests, ``random`` otherwise."""

    def random(self) -> float:
        """A float in [0, 1)."""
        ...


def _positive(instance: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ValidationError(attribute.name, value, "must be a number of seconds, 0 or more")


def _factor(instance: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 1:
        raise ValidationError(attribute.name, value, "must be a number, 1 or more")


@attrs.frozen(kw_only=True)
class Backoff:
    """How long to wait before each new attempt: exponential, capped, with full jitter.

    Before attempt ``n + 1`` (after ``n`` failures) the wait is a random fraction of
    ``min(cap, base * factor ** (n - 1))``: the ceiling doubles (by default) after each
    failure and the jitter spreads colliding writers apart.

    Args:
        base: the ceiling of the first wait, in seconds.
        factor: how much the ceiling grows after each failure.
        cap: the largest ceiling, in seconds.

    >>> Backoff().ceiling(1), Backoff().ceiling(4), Backoff(cap=0.05).ceiling(4)
    (0.02, 0.16, 0.05)
    """

    base: float = attrs.field(default=0.02, validator=_positive)
    factor: float = attrs.field(default=2.0, validator=_factor)
    cap: float = attrs.field(default=1.0, validator=_positive)

    def ceiling(self, failures: int) -> float:
        """The longest wait after ``failures`` failures in a row (1 or more)."""
        return float(min(self.cap, self.base * self.factor ** max(failures - 1, 0)))

    def wait(self, failures: int, random: RandomSource) -> float:
        """A wait drawn in ``[0, ceiling(failures))`` from ``random``."""
        return self.ceiling(failures) * random.random()


def _check(attempts: object, on: object) -> tuple[type[BaseException], ...]:
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        raise ValidationError("attempts", attempts, "must be a whole number, 1 or more")
    kinds = on if isinstance(on, tuple) else (on,)
    if not kinds or not all(isinstance(k, type) and issubclass(k, Exception) for k in kinds):
        raise ValidationError("on", on, "must be an exception class or a tuple of them")
    return kinds


def retry(
    fn: Callable[[], T],
    *,
    attempts: int = 5,
    backoff: Backoff = Backoff(),
    on: type[Exception] | tuple[type[Exception], ...] = (ConflictError,),
    sleep: Callable[[float], object] = time.sleep,
    random: RandomSource = _random,
) -> T:
    """Call ``fn()`` until it returns, retrying when it raises one of ``on``.

    Only the errors in ``on`` are retried (by default :class:`ConflictError`, which a store
    raises when a concurrent write won or the database is busy); any other error goes out at
    once. Between attempts it sleeps ``backoff.wait(failures, random)`` seconds.

    Args:
        fn: what to run; it must re-read what it needs, since the data changed.
        attempts: how many calls at most, the first included.
        backoff: the waits between attempts.
        on: the errors worth retrying.
        sleep: how to wait (``time.sleep``); a test passes a list's ``append``.
        random: the jitter's source (the ``random`` module); a test passes a seeded
            ``random.Random``.

    Returns:
        What ``fn`` returned.

    Raises:
        ValidationError: ``attempts`` or ``on`` is not valid.
        Exception: the last error of ``on`` once ``attempts`` calls failed, or any other
            error ``fn`` raised.
    """
    kinds = _check(attempts, on)
    failures = 0
    while True:
        try:
            return fn()
        except kinds:
            failures += 1
            if failures >= attempts:
                raise
        sleep(backoff.wait(failures, random))


F = TypeVar("F", bound=Callable[..., object])


@overload
def retrying(function: F, /) -> F: ...


@overload
def retrying(
    *,
    attempts: int = 5,
    backoff: Backoff = ...,
    on: type[Exception] | tuple[type[Exception], ...] = ...,
    sleep: Callable[[float], object] = ...,
    random: RandomSource = ...,
) -> Callable[[F], F]: ...


def retrying(
    function: F | None = None,
    /,
    *,
    attempts: int = 5,
    backoff: Backoff = Backoff(),
    on: type[Exception] | tuple[type[Exception], ...] = (ConflictError,),
    sleep: Callable[[float], object] = time.sleep,
    random: RandomSource = _random,
) -> F | Callable[[F], F]:
    """Decorate a function so that every call goes through :func:`retry`.

    Use it bare (``@retrying``) or with the arguments of :func:`retry`
    (``@retrying(attempts=3)``).

    >>> from orderbook.errors import ConflictError
    >>> calls = []
    >>> @retrying(attempts=3, sleep=lambda seconds: None)
    ... def take_the_last_unit():
    ...     calls.append(1)
    ...     raise ConflictError("lot", "tea", "stale version")
    >>> take_the_last_unit()
    Traceback (most recent call last):
    ...
    orderbook.errors.ConflictError: lot 'tea': stale version
    >>> len(calls)
    3
    """
    _check(attempts, on)

    def decorate(target: F) -> F:
        @functools.wraps(target)
        def wrapper(*args: object, **kwargs: object) -> object:
            return retry(
                lambda: target(*args, **kwargs),
                attempts=attempts,
                backoff=backoff,
                on=on,
                sleep=sleep,
                random=random,
            )

        return wrapper  # type: ignore[return-value]

    return decorate(function) if function is not None else decorate
