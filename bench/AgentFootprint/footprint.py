#!/usr/bin/python3
"""Agent footprint: start-to-READY and idle RSS of the NativeAOT agent against a NativeAOT hello world, under systemd.

Run by bench/agent-footprint.sh. Both programs run as Type=notify units of a real systemd: PID 1 of a systemd-nspawn
container booted from the cached Debian tree of the packaging tests (the Generic Host's AddSystemd() notifies only when
systemd is the parent process). The agent runs with the shipped unit and its Environment= lines; the hello world (an
empty Generic Host with AddSystemd) gets the same Environment= lines. The container shares the host's network, so the
agent reaches a fake coordinator served here with python3-grpcio on 127.0.0.1 (h2c): Register answers with a
credential, Sync takes the stream and sends nothing, so the agent stays connected and idle.

start-to-READY is systemd's own figure: ActiveEnterTimestampMonotonic (READY=1 processed) minus
ExecMainStartTimestampMonotonic (the main process forked). The agent sends READY=1 before any network call.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent import futures

import grpc

SERVICE = "immutableinfra.agent.v1.AgentService"
AGENT_UNIT = "immutableinfra-agent.service"
HELLO_UNIT = "hello-ready.service"


def _varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _string_field(number, text):
    data = text.encode()
    return _varint((number << 3) | 2) + _varint(len(data)) + data


class FakeCoordinator:
    """RegisterResponse{namespace=1, inventory_name=2, credential=3} hand-encoded; no generated code needed."""

    def __init__(self):
        self.streams = 0
        self.messages = 0
        self._lock = threading.Lock()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        handlers = {
            "Register": grpc.unary_unary_rpc_method_handler(self._register),
            "Sync": grpc.stream_stream_rpc_method_handler(self._sync),
        }
        self.server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    def _register(self, request, context):
        return _string_field(1, "default") + _string_field(2, "bench-host") + _string_field(3, "bench-credential")

    def _sync(self, requests, context):
        with self._lock:
            self.streams += 1
        for _ in requests:
            with self._lock:
                self.messages += 1
        return
        yield  # a generator: the coordinator never sends anything


def unit_environment(path):
    """The Environment= lines of a systemd unit, as written (the shipped unit uses no quoting)."""
    with open(path) as unit:
        return [line.strip() for line in unit if line.startswith("Environment=")]


class Container:
    """A Debian tree booted with systemd-nspawn (--volatile=overlay: the cached tree is never changed), driven through nsenter."""

    def __init__(self, tree, binds, console):
        self.console = console
        args = ["systemd-nspawn", "--boot", "--register=no", "--keep-unit", "--volatile=overlay", "--quiet",
                "-M", "iibench-" + uuid.uuid4().hex[:8], "-D", tree]
        args += [f"--bind-ro={host}:{inside}" for host, inside in binds.items()]
        self.nspawn = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT)
        self.leader = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.nspawn.poll() is not None:
                raise RuntimeError(f"systemd-nspawn exited {self.nspawn.returncode}")
            if self.leader is None:
                with open(f"/proc/{self.nspawn.pid}/task/{self.nspawn.pid}/children") as f:
                    children = f.read().split()
                if len(children) == 1 and open(f"/proc/{children[0]}/comm").read().strip() == "systemd":
                    self.leader = children[0]
            elif self.run("systemctl", "is-system-running", check=False).strip() in ("running", "degraded"):
                return
            time.sleep(0.2)
        self.close()
        raise TimeoutError("the container did not boot within 180 s")

    def run(self, *command, check=True):
        done = subprocess.run(["nsenter", "-t", self.leader, "-a", *command], capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stdout}{done.stderr}")
        return done.stdout

    def show(self, unit, *properties):
        out = self.run("systemctl", "show", unit, "-p", ",".join(properties))
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def start_to_ready_ms(self, unit):
        """Starts the unit (systemctl start returns once READY=1 arrived) and returns systemd's fork-to-READY time."""
        self.run("systemctl", "start", unit)
        times = self.show(unit, "ExecMainStartTimestampMonotonic", "ActiveEnterTimestampMonotonic")
        return (int(times["ActiveEnterTimestampMonotonic"]) - int(times["ExecMainStartTimestampMonotonic"])) / 1000

    def rss_kib(self, unit):
        pid = self.show(unit, "MainPID")["MainPID"]
        fields = dict(line.split(":", 1) for line in self.run("cat", f"/proc/{pid}/status").splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])

    def close(self):
        if self.leader is not None:
            try:
                os.kill(int(self.leader), 9)  # SIGKILL to a PID namespace's init ends every process in it.
            except ProcessLookupError:
                pass
        try:
            self.nspawn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.nspawn.kill()
            self.nspawn.wait()


def wait_for_stream(coordinator, streams_before, timeout=60):
    deadline = time.monotonic() + timeout
    while coordinator.streams == streams_before and time.monotonic() < deadline:
        time.sleep(0.05)
    return coordinator.streams > streams_before


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agent", required=True)
    parser.add_argument("--hello", required=True)
    parser.add_argument("--tree", required=True, help="the Debian tree (tests/ImmutableInfra.Packaging.Tests/Systemd/debian-tree.sh)")
    parser.add_argument("--unit", required=True, help="the shipped agent unit")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--idle-seconds", type=int, default=60)
    args = parser.parse_args()

    coordinator = FakeCoordinator()
    environment = unit_environment(args.unit)
    work = tempfile.mkdtemp()
    files = {
        "agent.yaml": f"coordinatorUrl: http://127.0.0.1:{coordinator.port}\ninsecure: true\npool: default/bench\n"
                      "registrationToken: bench-token\n",
        # Ten timed starts and the idle one exceed the shipped unit's start limit (10 in 10 min).
        "bench.conf": "[Unit]\nStartLimitIntervalSec=0\n",
        HELLO_UNIT: "[Service]\nType=notify\nNotifyAccess=main\nExecStart=/usr/bin/hello-ready\n" + "\n".join(environment) + "\n",
    }
    for name, text in files.items():
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    binds = {
        args.agent: "/usr/bin/immutableinfra-agent",
        args.hello: "/usr/bin/hello-ready",
        args.unit: "/usr/lib/systemd/system/" + AGENT_UNIT,
        os.path.join(work, "bench.conf"): f"/etc/systemd/system/{AGENT_UNIT}.d/bench.conf",
        os.path.join(work, HELLO_UNIT): "/etc/systemd/system/" + HELLO_UNIT,
        os.path.join(work, "agent.yaml"): "/etc/immutableinfra/agent.yaml",
    }
    with open(os.path.join(work, "console.log"), "w") as console:
        container = Container(args.tree, binds, console)
    try:
        ready = {"agent": [], "hello": []}
        for _ in range(args.runs):
            for name, unit in (("agent", AGENT_UNIT), ("hello", HELLO_UNIT)):
                ready[name].append(container.start_to_ready_ms(unit))
                container.run("systemctl", "stop", unit)

        streams_before = coordinator.streams
        container.run("systemctl", "start", AGENT_UNIT)
        container.run("systemctl", "start", HELLO_UNIT)
        connected = wait_for_stream(coordinator, streams_before)
        time.sleep(args.idle_seconds)
        agent_rss, agent_hwm = container.rss_kib(AGENT_UNIT)
        hello_rss, hello_hwm = container.rss_kib(HELLO_UNIT)
        still = container.show(AGENT_UNIT, "ActiveState", "NRestarts")
    finally:
        container.close()
        coordinator.server.stop(0)

    def summary(values):
        return f"median {statistics.median(values):.1f} ms (min {min(values):.1f}, max {max(values):.1f})"

    size = lambda path: os.path.getsize(path) / (1024 * 1024)
    a, h = statistics.median(ready["agent"]), statistics.median(ready["hello"])
    print(f"runs: {args.runs}, idle: {args.idle_seconds} s, agent connected to the fake coordinator: "
          f"{connected and still['ActiveState'] == 'active' and still['NRestarts'] == '0'}")
    print(f"environment: {' '.join(line.removeprefix('Environment=') for line in environment) or '(none)'}")
    print("| measure | agent (NativeAOT) | hello world (NativeAOT) | ratio |")
    print("| --- | --- | --- | --- |")
    print(f"| start-to-READY (systemd) | {summary(ready['agent'])} | {summary(ready['hello'])} | {a / h:.2f}x |")
    print(f"| RSS after {args.idle_seconds} s idle | {agent_rss / 1024:.1f} MiB (peak {agent_hwm / 1024:.1f}) | "
          f"{hello_rss / 1024:.1f} MiB (peak {hello_hwm / 1024:.1f}) | {agent_rss / hello_rss:.2f}x |")
    print(f"| binary size | {size(args.agent):.1f} MiB | {size(args.hello):.1f} MiB | {size(args.agent) / size(args.hello):.2f}x |")


if __name__ == "__main__":
    main()
