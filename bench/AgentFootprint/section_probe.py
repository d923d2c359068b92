#!/usr/bin/python3
"""Which parts of one agent binary are resident: idle it connected to the fake coordinator, then count present pages
(/proc/PID/pagemap) per ELF section and list the anonymous mappings (GC regions, .hydrated, malloc).

Usage: section_probe.py AGENT_BINARY [IDLE_SECONDS [--cold]]. --cold evicts the binary's page-cache pages first (as
after a reboot): how the file got into the page cache (written by the linker or read back) changes the folio sizes the
kernel maps on a fault, and so the resident file pages by ~0.4 MiB, so compare two binaries from the same state.
Runs with the shipped unit's Environment= lines, or those of the unit file named by $PROBE_UNIT.
"""
import os
import struct
import subprocess
import sys

import footprint as fp

UNIT = os.environ.get("PROBE_UNIT", fp.SHIPPED_UNIT)
IMAGE_SPAN = 0x4000000  # more than the binary plus its .bss and .hydrated


def sections(binary):
    """(name, address, size) of the binary's allocated sections, from readelf."""
    result = []
    for line in subprocess.run(["readelf", "-S", "-W", binary], capture_output=True, text=True).stdout.splitlines():
        parts = line.replace("[ ", "[").split()
        if len(parts) > 6 and parts[0].startswith("[") and parts[1].startswith((".", "_")) and int(parts[3], 16):
            result.append((parts[1], int(parts[3], 16), int(parts[5], 16)))
    return result


def present_pages(pid, binary):
    """Page numbers, relative to the load address, of the image's present pages."""
    base = None
    for line in open(f"/proc/{pid}/maps"):
        parts = line.split()
        if len(parts) > 5 and os.path.realpath(parts[5]) == os.path.realpath(binary) and int(parts[2], 16) == 0:
            base = int(parts[0].split("-")[0], 16)
            break
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        pagemap.seek(base // 4096 * 8)
        data = pagemap.read(IMAGE_SPAN // 4096 * 8)
    return {i for i in range(len(data) // 8) if struct.unpack_from("<Q", data, i * 8)[0] >> 63}


def anonymous_mappings(pid):
    result, current = [], None
    for line in open(f"/proc/{pid}/smaps"):
        parts = line.split()
        if "-" in parts[0] and not parts[0].endswith(":"):
            current = (parts[0], parts[5] if len(parts) > 5 else "[anon]")
        elif parts[0] == "Rss:" and current[1] in ("[anon]", "[heap]") and int(parts[1]) >= 64:
            low, high = (int(x, 16) for x in current[0].split("-"))
            result.append((current[0], (high - low) // 1024, int(parts[1])))
    return result


def main():
    binary = sys.argv[1]
    idle = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "--cold" else 20
    if "--cold" in sys.argv:
        descriptor = os.open(binary, os.O_RDONLY)
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(descriptor)
    probe = fp.IdleAgent(binary, UNIT)
    ready_ms, _ = probe.idle(idle)
    rss, _ = fp.rss_kib(probe.process.pid)
    pages = present_pages(probe.process.pid, binary)
    anonymous = anonymous_mappings(probe.process.pid)
    probe.close()
    print(f"start-to-READY {ready_ms:.1f} ms, VmRSS {rss / 1024:.2f} MiB, present image pages {len(pages) * 4 / 1024:.2f} MiB")
    for name, address, size in sections(binary):
        present = sum(1 for page in range(address // 4096, (address + size - 1) // 4096 + 1) if page in pages)
        if size > 16384:
            print(f"  {name:20s} size {size / 1024:8.0f} KiB present {present * 4:6d} KiB ({100 * present * 4096 / size:.0f}%)")
    for mapping, size_kib, rss_kib in anonymous:
        print(f"  anon {mapping} size {size_kib} KiB rss {rss_kib} KiB")


if __name__ == "__main__":
    main()
