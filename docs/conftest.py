"""pytest settings for the docs: the pages run as doctests; screenshots.py is a script."""

collect_ignore = ["screenshots.py"]
