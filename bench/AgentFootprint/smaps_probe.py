#!/usr/bin/python3
"""One agent binary alone: start it N times, then idle it connected to the fake coordinator and print VmRSS and
where the resident memory is (/proc/PID/smaps: the binary per mapping, anonymous mappings one by one).

For judging one footprint lever at a time without the hello world or the JIT cross-check of bench/agent-footprint.sh.
Usage: smaps_probe.py AGENT_BINARY [IDLE_SECONDS [STARTS]]. Runs with the shipped unit's Environment= lines.
"""
import collections
import os
import sys
import tempfile
import time

import footprint as fp

UNIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../packaging/systemd/immutableinfra-agent.service")


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
    fp.UNIT_ENV.update(fp.unit_environment(UNIT))
    work = tempfile.mkdtemp()
    coordinator = fp.FakeCoordinator()
    ready = []
    for run in range(starts):
        process, ms = fp.spawn(fp.agent_argv(binary, work, coordinator, run), os.path.join(work, f"notify-{run}.sock"))
        ready.append(ms)
        fp.stop(process)
    streams_before = coordinator.streams
    agent, _ = fp.spawn(fp.agent_argv(binary, work, coordinator, "idle"), os.path.join(work, "notify-idle.sock"))
    streamed = fp.wait_for_stream(coordinator, streams_before)
    time.sleep(idle)
    rss, hwm = fp.rss_kib(agent.pid)
    groups = mappings(agent.pid, os.path.basename(binary))
    # The idle agent's own stream: the start-up runs before it had streams of their own.
    connected = streamed and agent.poll() is None
    fp.stop(agent)
    coordinator.server.stop(0)
    print(f"connected: {connected}, start-to-READY ms: {[round(ms, 1) for ms in sorted(ready)]}, "
          f"VmRSS after {idle} s: {rss / 1024:.2f} MiB (peak {hwm / 1024:.2f})")
    for name, counts in sorted(groups.items(), key=lambda item: -item[1]["Rss:"]):
        if counts["Rss:"] >= 64:
            print(f"  {name:45s} rss {counts['Rss:']:6d} KiB  private clean {counts['Private_Clean:']:6d}  private dirty {counts['Private_Dirty:']:6d}")


if __name__ == "__main__":
    main()
