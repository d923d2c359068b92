"""An attacker on the hosts' network, with python3-grpcio and our proto's wire format written by hand.

Usage: attacker.py <port> <pool> <token> <victim_mac>
Tries what issue 16 found: take a victim's record with its MAC and another UUID, tell a missing pool
from a wrong token, and make the coordinator choke on a huge inventory. Prints 'PASS' and exits 0 when
every attempt was refused as it must be, or prints what got through and exits 1.
"""
import sys

import grpc

REGISTER = "/immutableinfra.agent.v1.AgentService/Register"


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number, payload):
    """A length-delimited field (strings and messages)."""
    if isinstance(payload, str):
        payload = payload.encode()
    return varint((number << 3) | 2) + varint(len(payload)) + payload


def register(pool, token, uuid, macs, hostname, disks=0):
    identity = field(1, uuid) + b"".join(field(3, m) for m in macs) + field(4, hostname)
    # HostInventory.disks = 5; DiskInfo.name = 1
    inventory = b"".join(field(5, field(1, "sd%d" % i)) for i in range(disks))
    return field(1, pool) + field(2, token) + field(3, identity) + (field(4, inventory) if disks else b"")


def refused(stub, request):
    try:
        stub(request, timeout=20)
    except grpc.RpcError as error:
        return error.code(), error.details()
    return grpc.StatusCode.OK, ""


def main():
    port, pool, token, victim_mac = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    channel = grpc.insecure_channel("127.0.0.1:%s" % port, options=[("grpc.max_send_message_length", 64 << 20)])
    stub = channel.unary_unary(REGISTER)
    failures = []

    code, details = refused(stub, register(pool, token, "0badc0de-0000-4000-8000-00000000beef", [victim_mac], "impostor"))
    if code != grpc.StatusCode.ALREADY_EXISTS:
        failures.append("impostor with the victim's MAC: %s %s" % (code, details))

    namespace = pool.split("/")[0]
    missing = refused(stub, register(namespace + "/no-such-pool", "guess", "0badc0de-0000-4000-8000-000000000002", [], "probe"))
    wrong = refused(stub, register(pool, "guess", "0badc0de-0000-4000-8000-000000000002", [], "probe"))
    if missing != wrong or missing[0] != grpc.StatusCode.UNAUTHENTICATED:
        failures.append("missing pool %s vs wrong token %s" % (missing, wrong))

    code, details = refused(stub, register(pool, token, "0badc0de-0000-4000-8000-000000000003", [], "huge", disks=10000))
    if code != grpc.StatusCode.RESOURCE_EXHAUSTED or "inventory.disks" not in details:
        failures.append("10,000 disks: %s %s" % (code, details))

    channel.close()
    if failures:
        print("\n".join(failures))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
