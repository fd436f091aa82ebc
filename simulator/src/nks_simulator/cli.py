"""Placeholder; replaced by the simulator implementation."""


def main():
    raise SystemExit("not implemented yet")
