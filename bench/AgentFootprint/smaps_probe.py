#!/usr/bin/python3
"""One agent binary alone: start it N times, then idle it connected to the fake coordinator and print VmRSS and
where the resident memory is (/proc/PID/smaps: the binary per mapping, anonymous mappings one by one).

For judging one footprint lever at a time without the hello world or the JIT cross-check of bench/agent-footprint.sh.
Usage: smaps_probe.py AGENT_BINARY [IDLE_SECONDS [STARTS]]. Runs with the shipped unit's Environment= lines.
"""
import collections
import os
import sys

import footprint as fp


def mappings(pid, binary_name):
    """Resident KiB per mapping: the binary's by permission and offset, anonymous ones by address, libraries by name."""
    groups = collections.OrderedDict()
    key = None
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            parts = line.split()
            if "-" in parts[0] and not parts[0].endswith(":"):
                name = os.path.basename(parts[5]) if len(parts) > 5 else "[anon]"
                key = f"{name} {parts[1]} {parts[2]}" if name == binary_name else (f"[anon] {parts[0]}" if len(parts) <= 5 else name)
            elif parts[0] in ("Rss:", "Private_Clean:", "Private_Dirty:"):
                groups.setdefault(key, collections.Counter())[parts[0]] += int(parts[1])
    return groups


def main():
    binary = sys.argv[1]
    idle = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    starts = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    probe = fp.IdleAgent(binary)
    ready = [probe.start_and_stop(run) for run in range(starts)]
    _, connected = probe.idle(idle)
    rss, hwm = fp.rss_kib(probe.process.pid)
    groups = mappings(probe.process.pid, os.path.basename(binary))
    probe.close()
    print(f"connected: {connected}, start-to-READY ms: {[round(ms, 1) for ms in sorted(ready)]}, "
          f"VmRSS after {idle} s: {rss / 1024:.2f} MiB (peak {hwm / 1024:.2f})")
    for name, counts in sorted(groups.items(), key=lambda item: -item[1]["Rss:"]):
        if counts["Rss:"] >= 64:
            print(f"  {name:45s} rss {counts['Rss:']:6d} KiB  private clean {counts['Private_Clean:']:6d}  private dirty {counts['Private_Dirty:']:6d}")


if __name__ == "__main__":
    main()
