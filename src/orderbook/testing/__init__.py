"""Tools for testing code built on orderbook: hypothesis strategies for its values.

This package needs ``hypothesis`` (the ``test`` extra); the rest of orderbook never imports it.
"""
