"""A python3-grpcio client running one interop scenario against our server.

Usage: interop_client.py <port> <scenario> <server_max_receive_bytes>
Prints 'PASS' and exits 0, or prints the failure and exits 1.
"""
import sys

import grpc

from echo_wire import decode_reply, encode_request, request_of_size

SERVICE = "/immutableinfra.test.v1.EchoService/"
BINARY = b"\x00\x01\x02\xfe\xff="


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_code(error, code):
    expect(error.code() == code, "expected %s, got %s: %s" % (code, error.code(), error.details()))


def wait_for_go():
    """The C# test writes a line once the server handler is waiting, so the cancel cannot race it."""
    sys.stdin.readline()


def scenario_unary(channel, limit):
    call = channel.unary_unary(SERVICE + "Unary")
    response, info = call.with_call(encode_request(text="hello"), timeout=20,
                                    metadata=[("x-echo", "v1"), ("x-echo-bin", BINARY)])
    expect(decode_reply(response)["text"] == "hello", "reply text")
    initial = dict(info.initial_metadata())
    trailing = dict(info.trailing_metadata())
    expect(initial.get("x-echo") == "v1", "initial metadata %r" % initial)
    expect(initial.get("x-echo-bin") == BINARY, "initial -bin metadata %r" % initial)
    expect(trailing.get("x-trailer") == "v1", "trailing metadata %r" % trailing)
    expect(trailing.get("x-trailer-bin") == BINARY, "trailing -bin metadata %r" % trailing)
    expect(info.code() == grpc.StatusCode.OK, "status")


def scenario_server_stream(channel, limit):
    call = channel.unary_stream(SERVICE + "ServerStream")
    replies = [decode_reply(r) for r in call(encode_request(text="s", repeat=7), timeout=20)]
    expect([r.get("index", 0) for r in replies] == list(range(7)), "indexes %r" % replies)


def scenario_client_stream(channel, limit):
    call = channel.stream_unary(SERVICE + "ClientStream")
    response = decode_reply(call(iter([encode_request(text=t) for t in "abc"]), timeout=20))
    expect(response["text"] == "abc" and response["count"] == 3, "reply %r" % response)


def scenario_duplex(channel, limit):
    call = channel.stream_stream(SERVICE + "Duplex")
    replies = [decode_reply(r) for r in call(iter([encode_request(text="m%d" % i) for i in range(5)]), timeout=20)]
    expect([r["text"] for r in replies] == ["m%d" % i for i in range(5)], "replies %r" % replies)


def scenario_error(channel, limit):
    call = channel.unary_unary(SERVICE + "Unary")
    try:
        call(encode_request(fail_code=5, fail_message="no such host: caf\u00e9 100%"), timeout=20)
        raise AssertionError("expected an error")
    except grpc.RpcError as error:
        expect_code(error, grpc.StatusCode.NOT_FOUND)
        expect(error.details() == "no such host: caf\u00e9 100%", "details %r" % error.details())
        trailing = dict(error.trailing_metadata())
        expect(trailing.get("x-failure") == "yes", "trailers %r" % trailing)
        expect(trailing.get("x-failure-bin") == b"\x00\x01\x02\xff", "-bin trailers %r" % trailing)


def scenario_stream_error(channel, limit):
    call = channel.unary_stream(SERVICE + "ServerStream")
    received = 0
    try:
        for _ in call(encode_request(repeat=3, fail_code=10, fail_message="late"), timeout=20):
            received += 1
        raise AssertionError("expected an error")
    except grpc.RpcError as error:
        expect_code(error, grpc.StatusCode.ABORTED)
        expect(error.details() == "late", "details %r" % error.details())
        expect(received == 3, "received %d" % received)


def scenario_deadline(channel, limit):
    call = channel.unary_unary(SERVICE + "Unary")
    try:
        call(encode_request(text="deadline", delay_ms=20000), timeout=0.3)
        raise AssertionError("expected DEADLINE_EXCEEDED")
    except grpc.RpcError as error:
        expect_code(error, grpc.StatusCode.DEADLINE_EXCEEDED)


def scenario_cancel(channel, limit):
    call = channel.unary_unary(SERVICE + "Unary")
    future = call.future(encode_request(text="cancel", delay_ms=20000), timeout=20)
    wait_for_go()
    expect(future.cancel(), "cancel accepted")
    expect(future.cancelled(), "cancelled")


def scenario_duplex_cancel(channel, limit):
    call = channel.stream_stream(SERVICE + "Duplex")

    def requests():
        yield encode_request(text="first")
        yield encode_request(text="cancel", delay_ms=20000)

    responses = call(requests(), timeout=20)
    expect(decode_reply(next(responses))["text"] == "first", "first reply")
    wait_for_go()
    responses.cancel()
    try:
        next(responses)
        raise AssertionError("expected CANCELLED")
    except grpc.RpcError as error:
        expect_code(error, grpc.StatusCode.CANCELLED)


def scenario_limit(channel, limit):
    call = channel.unary_unary(SERVICE + "Unary")
    call(request_of_size(limit), timeout=20)
    try:
        call(request_of_size(limit + 1), timeout=20)
        raise AssertionError("expected RESOURCE_EXHAUSTED")
    except grpc.RpcError as error:
        expect_code(error, grpc.StatusCode.RESOURCE_EXHAUSTED)


def scenario_gzip(channel, limit):
    call = channel.unary_unary(SERVICE + "Unary")
    text = "z" * 50000
    response, info = call.with_call(encode_request(text=text), timeout=20, compression=grpc.Compression.Gzip)
    expect(decode_reply(response)["text"] == text, "gzip echo")


def scenario_unimplemented(channel, limit):
    for path in (SERVICE + "Unbound", "/no.such.Service/Method"):
        try:
            channel.unary_unary(path)(b"", timeout=20)
            raise AssertionError("expected UNIMPLEMENTED for " + path)
        except grpc.RpcError as error:
            expect_code(error, grpc.StatusCode.UNIMPLEMENTED)


def main():
    port, scenario, limit = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    options = [("grpc.max_receive_message_length", -1), ("grpc.max_send_message_length", -1)]
    with grpc.insecure_channel("127.0.0.1:%d" % port, options=options) as channel:
        try:
            globals()["scenario_" + scenario](channel, limit)
        except Exception as error:  # report every failure to the C# test
            print("FAIL %s: %r" % (scenario, error), flush=True)
            sys.exit(1)
    print("PASS", flush=True)


if __name__ == "__main__":
    main()
