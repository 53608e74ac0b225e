"""Benchmarks that print figures against goals; run `python -m bench.fanout`."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""Where helper processes start, so `python -m bench....` finds the project from any directory."""
