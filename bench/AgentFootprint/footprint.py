#!/usr/bin/python3
"""Agent footprint: start-to-READY and idle RSS of the NativeAOT agent against a NativeAOT hello world.

Run by bench/agent-footprint.sh. The agent runs for real (rootDir /, its own state dir) against a
fake coordinator served here with python3-grpcio on 127.0.0.1 (h2c): Register answers with a
credential, Sync takes the stream and sends nothing, so the agent stays connected and idle.
Start-to-READY is from just before spawning the process to the READY=1 datagram on NOTIFY_SOCKET;
the agent sends READY=1 before any network call, so the figure excludes the network. Both programs get
the Environment= lines of the shipped systemd unit (GC and malloc settings), as the agent does in production.
"""
import argparse
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from concurrent import futures

import grpc

SERVICE = "immutableinfra.agent.v1.AgentService"


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
    """The KEY=VALUE pairs of a systemd unit's Environment= lines (the shipped unit uses no quoting)."""
    env = {}
    with open(path) as unit:
        for line in unit:
            if line.startswith("Environment="):
                key, _, value = line.strip().removeprefix("Environment=").partition("=")
                env[key] = value
    return env


UNIT_ENV = {}


def spawn(argv, notify_path):
    """Starts argv with the unit's environment and NOTIFY_SOCKET; returns (process, milliseconds until READY=1)."""
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(notify_path)
    receiver.settimeout(30)
    env = dict(os.environ, **UNIT_ENV, NOTIFY_SOCKET=notify_path)
    started = time.monotonic_ns()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while b"READY=1" not in receiver.recv(4096):
            pass
        return process, (time.monotonic_ns() - started) / 1e6
    finally:
        receiver.close()


def stop(process):
    process.terminate()
    process.wait(timeout=30)


def rss_kib(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def wait_for_stream(coordinator, streams_before, timeout=30):
    """Waits until the fake coordinator has seen a Sync stream beyond streams_before; returns whether it did."""
    deadline = time.monotonic() + timeout
    while coordinator.streams == streams_before and time.monotonic() < deadline:
        time.sleep(0.05)
    return coordinator.streams > streams_before


SHIPPED_UNIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../packaging/systemd/immutableinfra-agent.service")


class IdleAgent:
    """One agent binary against its own fake coordinator, with a unit's Environment= lines: the probes' common start.
    start_and_stop(run) times a start to READY=1; idle(seconds) starts the agent, waits for its Sync stream and idles it,
    leaving it running in self.process for the probe to measure; close() stops both."""

    def __init__(self, binary, unit=SHIPPED_UNIT):
        UNIT_ENV.update(unit_environment(unit))
        self.binary = binary
        self.work = tempfile.mkdtemp()
        self.coordinator = FakeCoordinator()
        self.process = None

    def start_and_stop(self, run):
        process, ms = spawn(agent_argv(self.binary, self.work, self.coordinator, run), os.path.join(self.work, f"notify-{run}.sock"))
        stop(process)
        return ms

    def idle(self, seconds):
        """Returns (milliseconds to READY=1, whether the agent opened its stream and still runs after idling)."""
        streams_before = self.coordinator.streams
        self.process, ready_ms = spawn(agent_argv(self.binary, self.work, self.coordinator, "idle"), os.path.join(self.work, "notify-idle.sock"))
        streamed = wait_for_stream(self.coordinator, streams_before)
        time.sleep(seconds)
        return ready_ms, streamed and self.process.poll() is None

    def close(self):
        if self.process is not None:
            stop(self.process)
        self.coordinator.server.stop(0)


def agent_argv(binary, work, coordinator, run):
    state = os.path.join(work, f"state-{run}")
    config = os.path.join(work, f"agent-{run}.yaml")
    with open(config, "w") as f:
        f.write(f"coordinatorUrl: http://127.0.0.1:{coordinator.port}\ninsecure: true\npool: default/bench\n"
                f"registrationToken: bench-token\nstateDir: {state}\nrootDir: /\n")
    return [binary, "run", "--config", config]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agent", required=True)
    parser.add_argument("--hello", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--idle-seconds", type=int, default=60)
    parser.add_argument("--unit", help="systemd unit whose Environment= lines both programs run with")
    args = parser.parse_args()
    if args.unit:
        UNIT_ENV.update(unit_environment(args.unit))
    coordinator = FakeCoordinator()

    ready = {"agent": [], "hello": []}
    for run in range(args.runs):
        for name, argv in (("agent", agent_argv(args.agent, args.work, coordinator, run)), ("hello", [args.hello])):
            process, ms = spawn(argv, os.path.join(args.work, f"notify-{name}-{run}.sock"))
            ready[name].append(ms)
            stop(process)

    streams_before = coordinator.streams
    agent, _ = spawn(agent_argv(args.agent, args.work, coordinator, "idle"), os.path.join(args.work, "notify-agent-idle.sock"))
    hello, _ = spawn([args.hello], os.path.join(args.work, "notify-hello-idle.sock"))
    connected = wait_for_stream(coordinator, streams_before)
    time.sleep(args.idle_seconds)
    agent_rss, agent_hwm = rss_kib(agent.pid)
    hello_rss, hello_hwm = rss_kib(hello.pid)
    still_connected = agent.poll() is None
    stop(agent)
    stop(hello)
    coordinator.server.stop(0)

    def summary(values):
        return f"median {statistics.median(values):.1f} ms (min {min(values):.1f}, max {max(values):.1f})"

    size = lambda path: os.path.getsize(path) / (1024 * 1024)
    print(f"runs: {args.runs}, idle: {args.idle_seconds} s, agent connected to the fake coordinator: {connected and still_connected}")
    print(f"environment: {' '.join(f'{k}={v}' for k, v in UNIT_ENV.items()) or '(none)'}")
    print("| measure | agent (NativeAOT) | hello world (NativeAOT) | ratio |")
    print("| --- | --- | --- | --- |")
    a, h = statistics.median(ready["agent"]), statistics.median(ready["hello"])
    print(f"| start-to-READY | {summary(ready['agent'])} | {summary(ready['hello'])} | {a / h:.2f}x |")
    print(f"| RSS after {args.idle_seconds} s idle | {agent_rss / 1024:.1f} MiB (peak {agent_hwm / 1024:.1f}) | "
          f"{hello_rss / 1024:.1f} MiB (peak {hello_hwm / 1024:.1f}) | {agent_rss / hello_rss:.2f}x |")
    print(f"| binary size | {size(args.agent):.1f} MiB | {size(args.hello):.1f} MiB | {size(args.agent) / size(args.hello):.2f}x |")


if __name__ == "__main__":
    main()
