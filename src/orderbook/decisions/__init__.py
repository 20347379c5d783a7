"""Decisions: the pure functions of the core that decide what a command of the book may do.

Each takes plain values (an order with its records, the workflow) and returns what to keep
or write, or raises the domain error; the book only loads the values, calls the function and
saves the result. :mod:`orderbook.decisions.orders` decides over an order's life: which
allocations survive an edit, and when an order may not be amended or deleted.
"""
