"""`make bench`: every benchmark, with the machine it ran on."""

from __future__ import annotations

import argparse
import os
import platform
import sys

from bench import guidance_bench

SUITES = {"guidance": guidance_bench.run}


def machine() -> str:
    """Describe the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {sys.platform}"


def main() -> None:
    """Run the chosen suites (all by default) and print their figures."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=", ".join(SUITES))
    chosen = parser.parse_args().suites or list(SUITES)
    unknown = set(chosen) - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    print(f"machine: {machine()}")
    for name in chosen:
        print(f"\n== {name}")
        for key, value in SUITES[name]().items():
            print(f"{key:>32}: {value:.4f}")


if __name__ == "__main__":
    main()
