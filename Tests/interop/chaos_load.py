#!/usr/bin/env python3
"""Healthy clients for the chaos suite, in a process of their own (so that what the test process
does meanwhile, such as a victim's SDK client digesting 20,000 notifications, never shows as
their latency).

    python chaos_load.py URL SERVER CLIENTS PACE_S

Opens CLIENTS official-SDK clients on the gateway at URL, prints `READY`, then each calls
SERVER's echo every PACE_S seconds. Every line read on stdin names the current phase, except
`REPORT`: that prints one JSON line, {"samples": {phase: [seconds...]}, "errors": [...]}, of the
calls since the last report. At the end of stdin the clients stop and a last report is printed.
"""

from __future__ import annotations

import json
import sys
import threading
import time

import anyio
from mcp import Client


async def main(url: str, server: str, clients: int, pace: float) -> None:
    phase = ["warm"]
    samples: dict[str, list[float]] = {}
    errors: list[str] = []
    stop = anyio.Event()
    connected = [0]
    token = anyio.lowlevel.current_token()

    def report() -> None:
        print(json.dumps({"samples": samples, "errors": errors}), flush=True)
        samples.clear()
        errors.clear()

    def read_phases() -> None:
        for line in sys.stdin:
            if line.strip() == "REPORT":
                anyio.from_thread.run_sync(report, token=token)
            elif line.strip():
                phase[0] = line.strip()
        anyio.from_thread.run_sync(stop.set, token=token)

    async def client(index: int) -> None:
        async with Client(url, mode="legacy", read_timeout_seconds=60) as c:
            connected[0] += 1
            if connected[0] == clients:
                print("READY", flush=True)
                threading.Thread(target=read_phases, daemon=True).start()
            n = 0
            while not stop.is_set():
                n += 1
                current = phase[0]
                expected = f"ok {index}.{n}"
                t0 = time.monotonic()
                try:
                    r = await c.call_tool("gateway_invoke", {"server": server, "tool": "echo",
                                                             "arguments": {"text": expected}})
                    text = "".join(getattr(b, "text", "") for b in r.content)
                    if r.is_error or text != expected:
                        errors.append(f"{current}: {'isError' if r.is_error else 'wrong answer'}: {text[:200]!r}")
                except Exception as e:  # noqa: BLE001 - every failure of a healthy call is a finding
                    errors.append(f"{current}: {type(e).__name__}: {e}")
                samples.setdefault(current, []).append(time.monotonic() - t0)
                with anyio.move_on_after(pace):
                    await stop.wait()

    async with anyio.create_task_group() as tg:
        for i in range(clients):
            tg.start_soon(client, i)
    print(json.dumps({"samples": samples, "errors": errors}), flush=True)


if __name__ == "__main__":
    anyio.run(main, sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
