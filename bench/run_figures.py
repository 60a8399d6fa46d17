#!/usr/bin/env python3
"""What one run under the agent gave its user, from its tuning log and the app's progress lines.

Usage: run_figures.py LOG OUT [--steady S] [--last L] [--cores N] [--hog-start MS --hog-end MS]
  LOG   the tuning log (JSON Lines)
  OUT   the app's stdout: one progress line a second ("t=12s records/s=... cpu=1.84 cores ..." or
        "... items/s=... cpu_cores=1.84")
Prints one line of k=v:
  rounds       decision rounds at the first `converged` event ("none" if it never converged)
  converged_s  seconds from the agent's start to that event
  after        decision rounds begun within S seconds after it (spurious re-tunes on a steady load)
  after_s      how many of those S seconds the run covered
  drift        stages whose parallelism is lower at the end than at the first verdict (a ratchet down)
  util         mean utilization of the `sample` events within S seconds after the first verdict
  rate         mean throughput of the app's last L progress lines
  t90_s        seconds from the first decision until a 3-s mean of the app's throughput first reached
               90% of `rate` ("n/a" without a decision)
  first_s      seconds from the agent's start to its first decision
  others       mean share of the machine's N CPUs (--cores, default all) that other processes used over the
               log's last L samples: a neighbour that took the cores explains a low rate ("n/a" without the
               samples' `machine`)
  hog_changed  with --hog-*: stages whose parallelism at the end differs from just before the hog
A static run (no LOG, pass "-") gives only rate and util (the mean of its last L progress lines' CPU
over its cores).
"""
import json
import os
import re
import sys
from datetime import datetime

RATE = re.compile(r"(?:records|items)/s=([0-9.]+)")
CPU = re.compile(r"cpu(?:_cores)?=([0-9.]+)")
SHARE = re.compile(r"\((\d+)% of (\d+)\)")
TICK = re.compile(r"^t=(\d+)s ")


def ts(event):
    return datetime.fromisoformat(event["ts"].replace("Z", "+00:00")).timestamp()


def progress(path):
    """[(t, rate, cpu_cores)] of the progress lines."""
    lines = []
    with open(path) as f:
        for line in f:
            tick, rate, cpu = TICK.search(line), RATE.search(line), CPU.search(line)
            if tick and rate and cpu:
                lines.append((int(tick.group(1)), float(rate.group(1)), float(cpu.group(1))))
    return lines


def parallelism(sample):
    return {stage: s["parallelism"] for stage, s in sample.get("stages", {}).items()}


def main(argv):
    log_path, out_path = argv[0], argv[1]
    opts = dict(zip(argv[2::2], argv[3::2]))
    steady = float(opts.get("--steady", 60))
    last = int(opts.get("--last", 20))
    lines = progress(out_path)
    if not lines:
        print("rate=n/a util=n/a")
        return
    tail = lines[-last:]
    rate = sum(r for _, r, _ in tail) / len(tail)
    if log_path == "-":
        cores = int(opts.get("--cores", 2))
        print(f"rate={rate:.1f} util={sum(c for _, _, c in tail) / len(tail) / cores:.4f}")
        return
    events = []
    with open(log_path) as f:
        for line in f:
            line = line.strip()
            if line:
                events.append(json.loads(line))
    start = next(e for e in events if e["event"] == "start")
    t0 = ts(start)
    samples = [e for e in events if e["event"] == "sample"]
    decisions = [e for e in events if e["event"] == "decision"]
    converged = next((e for e in events if e["event"] == "converged"), None)
    figures = {"rate": f"{rate:.1f}"}
    first = decisions[0] if decisions else None
    figures["first_s"] = f"{ts(first) - t0:.1f}" if first else "n/a"
    if first:
        final = rate
        at = ts(first) - t0
        t90 = "never"
        for i in range(2, len(lines)):
            window = lines[i - 2:i + 1]
            if window[0][0] >= at and sum(r for _, r, _ in window) / 3 >= 0.9 * final:
                t90 = f"{window[-1][0] - at:.1f}"
                break
        figures["t90_s"] = t90
    else:
        figures["t90_s"] = "n/a"
    if converged is None:
        figures.update(rounds="none", converged_s="n/a", after="n/a", after_s="0", drift="n/a", util="n/a")
    else:
        tc = ts(converged)
        figures["rounds"] = str(converged.get("rounds"))
        figures["converged_s"] = f"{tc - t0:.1f}"
        end = ts(events[-1])
        later = {d["round"] for d in decisions if tc < ts(d) <= tc + steady}
        figures["after"] = str(len(later))
        figures["after_s"] = f"{min(steady, end - tc):.0f}"
        steady_samples = [s for s in samples if tc < ts(s) <= tc + steady]
        figures["util"] = f"{sum(s['cpu'] for s in steady_samples) / len(steady_samples):.4f}" if steady_samples else "n/a"
        verdict = {stage: knobs.get("parallelism") for stage, knobs in converged.get("recommended", {}).items()}
        final_p = parallelism(samples[-1]) if samples else {}
        figures["drift"] = str(sum(1 for stage, p in verdict.items() if stage in final_p and final_p[stage] < p))
    if "--hog-start" in opts:
        hog_start = float(opts["--hog-start"]) / 1000
        before = [s for s in samples if ts(s) <= hog_start]
        if before and samples:
            b, e = parallelism(before[-1]), parallelism(samples[-1])
            figures["hog_changed"] = str(sum(1 for stage, p in b.items() if stage in e and e[stage] != p))
        else:
            figures["hog_changed"] = "n/a"
    machine_cpus = int(opts.get("--cores", 0)) or os.cpu_count()
    tail_samples = [s for s in samples if "machine" in s][-last:]
    figures["others"] = (f"{sum(max(0.0, s['machine'] - s['cores_busy'] / machine_cpus) for s in tail_samples) / len(tail_samples):.3f}"
                         if tail_samples else "n/a")
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
