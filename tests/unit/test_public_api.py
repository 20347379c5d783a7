import inspect
import re

import orderbook


def test_every_name_in_all_is_importable_and_documented():
    for name in orderbook.__all__:
        value = getattr(orderbook, name)
        if name == "__version__" or name.isupper() or name == "IdFactory":
            continue
        assert inspect.getdoc(value), f"{name} has no docstring"


def test_all_has_no_duplicates_and_the_version_is_the_installed_one():
    assert len(orderbook.__all__) == len(set(orderbook.__all__))
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", orderbook.__version__)


def test_the_package_ships_its_type_marker():
    from importlib.resources import files

    assert files("orderbook").joinpath("py.typed").is_file()
