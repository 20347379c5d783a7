"""pandas, imported only when a DataFrame is asked for, and the typing of date columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from orderbook.errors import OrderbookError


def import_pandas() -> Any:
    """pandas, or an OrderbookError saying to install the ``dataframe`` extra."""
    try:
        import pandas  # type: ignore[import-untyped]
    except ImportError:
        raise OrderbookError(
            "a DataFrame needs pandas: install the dataframe extra, "
            "pip install 'orderbook[dataframe]'",
            extra="dataframe",
        ) from None
    return pandas


def dates_as_datetime64(pandas: Any, frame: Any) -> None:
    """Turn each column of dates (and nothing else) into datetime64, where that is lossless."""
    for name in frame.columns:
        values = [value for value in frame[name] if value is not None]
        if frame[name].dtype != object or not values:
            continue
        if not all(type(value) is dt.date for value in values):
            continue  # only plain dates: aware moments pandas has already typed, or left
        try:
            converted = pandas.to_datetime(frame[name])
        except (ValueError, OverflowError):  # out of pandas' range: stay as dates
            continue
        if [day for day in converted.dt.date if day is not pandas.NaT] == values:
            frame[name] = converted
