#!/usr/bin/python3
"""What fills the idle agent's GC regions: idle it connected to the fake coordinator, then walk every anonymous
read-write mapping of 200 KiB or more resident as a run of managed objects and sum their sizes per type.

NativeAOT has no heap dump, so objects are read from /proc/PID/mem: the first word of an object is its method table,
whose first two 32-bit fields are the flags (component size in the low 16 bits when the top bit is set) and the base
size; arrays and strings keep their length right after the method table. Type names come from the .dbg file's
symbols (ILC's mangled names); method tables built at run time by the type loader have none. Words that do not start
a plausible object are skipped, so a region's total walked is a lower bound. Dead objects not yet collected count too:
this shows what the region was filled with, not what is live.

Usage: heap_walk.py AGENT_BINARY [IDLE_SECONDS]  (the binary's .dbg file must lie next to it)
"""
import bisect
import collections
import os
import struct
import subprocess
import sys

import footprint as fp

IMAGE_SPAN = 0x4000000


def symbols(dbg):
    table = []
    for line in subprocess.run(["nm", "-n", dbg], capture_output=True, text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            table.append((int(parts[0], 16), parts[2]))
    return [address for address, _ in table], table


def main():
    binary = sys.argv[1]
    idle = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    addresses, table = symbols(binary + ".dbg")

    def type_name(offset):
        i = bisect.bisect_right(addresses, offset) - 1
        return table[i][1] if i >= 0 and offset - table[i][0] < 4096 else "(unnamed)"

    probe = fp.IdleAgent(binary)
    probe.idle(idle)
    agent = probe.process
    base, regions, current = None, [], None
    for line in open(f"/proc/{agent.pid}/smaps"):
        parts = line.split()
        if "-" in parts[0] and not parts[0].endswith(":"):
            current = parts
            if base is None and len(parts) > 5 and os.path.realpath(parts[5]) == os.path.realpath(binary):
                base = int(parts[0].split("-")[0], 16)
        elif parts[0] == "Rss:" and len(current) <= 5 and current[1].startswith("rw") and int(parts[1]) >= 200:
            low, high = (int(x, 16) for x in current[0].split("-"))
            regions.append((low, high, int(parts[1])))
    with open(f"/proc/{agent.pid}/mem", "rb") as memory:
        for low, high, rss in regions:
            if base <= low < base + IMAGE_SPAN:
                continue  # .hydrated and .bss: the image's own data, not a heap
            memory.seek(low)
            data = memory.read(high - low)
            sizes, counts, walked, offset = collections.Counter(), collections.Counter(), 0, 0
            while offset + 16 <= len(data):
                method_table = struct.unpack_from("<Q", data, offset)[0]
                try:
                    memory.seek(method_table)
                    flags, base_size = struct.unpack("<II", memory.read(8))
                except (OSError, ValueError, struct.error, OverflowError):
                    offset += 8
                    continue
                if method_table == 0 or base_size < 16 or base_size > 1 << 20 or base_size % 8:
                    offset += 8
                    continue
                size = base_size
                if flags & 0x80000000:
                    size += struct.unpack_from("<I", data, offset + 8)[0] * (flags & 0xFFFF)
                size = (size + 7) & ~7
                if offset + size > len(data):
                    offset += 8
                    continue
                in_image = base <= method_table < base + IMAGE_SPAN
                name = type_name(method_table - base) if in_image else "(type built at run time)"
                sizes[name] += size
                counts[name] += 1
                walked += size
                offset += size
            print(f"region {low:x}-{high:x}: {(high - low) // 1024} KiB, rss {rss} KiB, objects walked {walked // 1024} KiB")
            for name, size in sizes.most_common(20):
                print(f"  {size:9d} B {counts[name]:6d}  {name[:150]}")
    probe.close()


if __name__ == "__main__":
    main()
