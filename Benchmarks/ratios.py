#!/usr/bin/env python3
"""Ratios of Kelp's times to each peer's, from a table printed by Benchmarks/run.sh.

    Benchmarks/ratios.py Benchmarks/results/latest.md

A ratio below 1.00 means Kelp was faster than that peer in the same run.
"""
import re
import sys


def seconds(cell):
    match = re.match(r"\s*([0-9.]+) s", cell)
    return float(match.group(1)) if match else None


def main(path):
    rows = [line for line in open(path, encoding="utf-8") if line.startswith("| ")]
    header = [c.strip() for c in rows[0].strip().strip("|").split("|")]
    peers = header[1:]
    kelp = peers.index("kelp")
    print("| benchmark | " + " | ".join(f"kelp / {p}" for i, p in enumerate(peers) if i != kelp) + " |")
    print("|---|" + "---:|" * (len(peers) - 1))
    for row in rows[1:]:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        name, values = cells[0], [seconds(c) for c in cells[1:]]
        if values[kelp] is None:
            continue
        ratios = []
        for i, value in enumerate(values):
            if i == kelp:
                continue
            ratios.append(f"{values[kelp] / value:.2f}" if value else "–")
        print(f"| {name} | " + " | ".join(ratios) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Benchmarks/results/latest.md")
