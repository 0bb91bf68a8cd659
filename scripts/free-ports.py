#!/usr/bin/env python3
"""Prints the first of COUNT consecutive TCP ports on 127.0.0.1 that are all free now.

The e2e suites give every spec file a server of its own on consecutive ports from
E2E_PORT. The block is taken below Linux's ephemeral range (32768 and up), where the
kernel picks the local ports of outgoing connections, so a busy machine (the fan-out
bench opens 10,000 of them) does not take a port between the check and the servers' start.
"""
import random
import socket
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 16


def free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


for _ in range(200):
    first = random.randrange(20000, 32000 - count)
    if all(free(port) for port in range(first, first + count)):
        print(first)
        sys.exit(0)
sys.exit("no block of free ports found")
