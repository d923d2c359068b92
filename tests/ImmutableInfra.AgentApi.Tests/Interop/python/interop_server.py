"""A python3-grpcio Echo server with raw-bytes handlers. Prints 'PORT <n>' once listening.

Usage: interop_server.py <max_receive_bytes>
Prints 'CANCELLED <text>' when a handler sees its call cancelled or expired.
"""
import sys
import threading
import time
from concurrent import futures

import grpc

from echo_wire import decode_request, encode_reply

SERVICE = "immutableinfra.test.v1.EchoService"


def status_code(number):
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    return grpc.StatusCode.UNKNOWN


def echo_metadata(context):
    echoed = [(k, v) for k, v in context.invocation_metadata() if k.startswith("x-echo")]
    if echoed:
        context.send_initial_metadata(echoed)
        context.set_trailing_metadata([("x-trailer" + k[6:], v) for k, v in echoed])


def apply(request, context):
    delay = request.get("delay_ms", 0) / 1000.0
    if delay:
        print("STARTED %s" % request.get("text", ""), flush=True)
    end = time.monotonic() + delay
    while time.monotonic() < end:
        if not context.is_active():
            print("CANCELLED %s" % request.get("text", ""), flush=True)
            return False
        time.sleep(0.01)
    if request.get("fail_code"):
        context.set_trailing_metadata([("x-failure", "yes"), ("x-failure-bin", b"\x00\x01\x02\xff")])
        context.abort(status_code(request["fail_code"]), request.get("fail_message", ""))
    return True


def reply(request, index, count):
    size = request.get("reply_size", 0)
    return encode_reply(text=request.get("text", ""), payload=b"\x00" * size if size else request.get("payload", b""),
                        index=index, count=count)


def unary(data, context):
    request = decode_request(data)
    echo_metadata(context)
    apply(request, context)
    return reply(request, 0, 1)


def server_stream(data, context):
    request = decode_request(data)
    echo_metadata(context)
    for i in range(request.get("repeat", 0)):
        yield reply(request, i, request.get("repeat", 0))
    apply(request, context)


def client_stream(iterator, context):
    texts = []
    for data in iterator:
        request = decode_request(data)
        texts.append(request.get("text", ""))
        apply(request, context)
    return encode_reply(text="".join(texts), count=len(texts))


def duplex(iterator, context):
    echo_metadata(context)
    for index, data in enumerate(iterator):
        request = decode_request(data)
        apply(request, context)
        yield reply(request, index, 0)


def main():
    max_receive = int(sys.argv[1]) if len(sys.argv) > 1 else 4 * 1024 * 1024
    handlers = {
        "Unary": grpc.unary_unary_rpc_method_handler(unary),
        "ServerStream": grpc.unary_stream_rpc_method_handler(server_stream),
        "ClientStream": grpc.stream_unary_rpc_method_handler(client_stream),
        "Duplex": grpc.stream_stream_rpc_method_handler(duplex),
    }
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16),
        handlers=[grpc.method_handlers_generic_handler(SERVICE, handlers)],
        options=[("grpc.max_receive_message_length", max_receive), ("grpc.max_send_message_length", -1)],
        compression=grpc.Compression.Gzip,
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print("PORT %d" % port, flush=True)
    # Serve until the parent closes stdin (or kills us).
    threading.Thread(target=lambda: (sys.stdin.read(), server.stop(0)), daemon=True).start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
