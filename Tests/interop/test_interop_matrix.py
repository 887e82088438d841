"""The interop matrix (issue 3): SDK client modes × front ends × backends × six checks.

The cells run once, concurrently, in a module fixture (`matrix.run_cells`); every cell × check is
then its own test here, so each outcome shows in pytest's output. A check that fails as a
documented known gap (`matrix.KNOWN_GAPS`) is an xfail with that reason; a known gap that passes
fails (strict), so the list cannot go stale. At session end `conftest.py` rewrites
`docs/interop.md` from these outcomes when the whole matrix ran.

    .venv/bin/python -m pytest Tests/interop/test_interop_matrix.py -p no:cacheprovider
    scripts/test.sh -k matrix
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import pytest

import harness
import matrix
from matrix import ALL_CELLS, ALL_CHECKS, BACKENDS, Cell

# The fixture runs the whole matrix inside the first test's setup.
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def matrix_env(log_dir: Path):
    started: list[harness.HttpBackend] = []
    gw = None
    try:
        # The HTTP and SSE backends for the shared gateway, and another set for the stdio gateways:
        # a grow on a backend shared by two gateways would surface in the other one's catalog at
        # its next refresh, a tools/list_changed no check of that gateway caused.
        remote = [b for b in BACKENDS if matrix.BACKEND_TRANSPORTS[b] != "stdio"]
        specs = [(b, matrix.BACKEND_TRANSPORTS[b], where) for where in (log_dir, log_dir / "stdio-backends") for b in remote]
        with ThreadPoolExecutor(len(specs)) as pool:
            futures = [pool.submit(harness.start_http_backend, *spec) for spec in specs]
            for future in futures:
                try:
                    started.append(future.result())
                except Exception:
                    for f in futures:
                        if f.done() and f.exception() is None and f.result() not in started:
                            started.append(f.result())
                    raise
        shared = dict(zip(remote, started[:len(remote)]))
        for_stdio = dict(zip(remote, started[len(remote):]))
        gw = harness.start_gateway(harness.write_config(log_dir / "matrix.yaml", config(shared)), log_dir,
                                   log_level="info", env={"MCP_GATEWAY_CACHE_DIR": str(log_dir / "cache" / "shared")})
        # Each stdio cell's gateway spawns only its own stdio backend (all remote ones are listed):
        # a dozen gateways each spawning every stdio server at once starve a 2-core machine.
        stdio_configs = {b: harness.write_config(log_dir / f"matrix-stdio-{b}.yaml", config(for_stdio, only_stdio=b))
                         for b in BACKENDS}
        yield matrix.Env(gw=gw, stdio_configs=stdio_configs, log_dir=log_dir)
    finally:
        if gw:
            gw.stop()
        for b in started:
            b.stop()


def config(remote: dict[str, harness.HttpBackend], only_stdio: str | None = None) -> dict:
    # A long backend timeout: the gateway cancels a call that outlives it, which must not pass
    # for the client's own cancellation reaching the backend.
    timeout = matrix.BACKEND_TIMEOUT
    backends = {}
    for name in BACKENDS:
        transport = matrix.BACKEND_TRANSPORTS[name]
        if transport == "stdio" and only_stdio is not None and name != only_stdio:
            continue
        if transport == "stdio":
            entry = harness.stdio_backend(name, description=matrix.DESCRIPTIONS[name], timeout=timeout)
        else:
            mode = "streamable_http" if transport == "streamable-http" else "sse"
            entry = harness.http_backend(remote[name], mode, matrix.DESCRIPTIONS[name], timeout=timeout)
        entry["protocol_version"] = matrix.BACKEND_ERAS[name]
        backends[name] = entry
    cfg = harness.make_config(backends)
    # Every backend up and listed before the first client: no start-up list changes mid-check.
    cfg["meta_mcp"]["warm_start"] = ["*"]
    return cfg


def _selected_cells(session: pytest.Session) -> list[Cell]:
    cells = set()
    for item in session.items:
        spec = getattr(item, "callspec", None)
        module = getattr(item, "module", None)
        if module is not None and module.__name__.endswith("test_interop_matrix") and spec is not None \
                and isinstance(spec.params.get("cell"), Cell):
            cells.add(spec.params["cell"])
    return sorted(cells)


@pytest.fixture(scope="module")
def matrix_run(matrix_env: matrix.Env, request: pytest.FixtureRequest) -> matrix.MatrixRun:
    cells = _selected_cells(request.session) or list(ALL_CELLS)
    t0 = time.monotonic()
    results = anyio.run(matrix.run_cells, cells, matrix_env)
    run = matrix.RUN
    run.cells.update(results)
    run.seconds = time.monotonic() - t0
    run.complete = set(run.cells) == set(ALL_CELLS)
    run.meta = matrix.run_metadata(run.seconds)
    # Per cell and check timings, for whoever wonders where the minute goes.
    lines = [f"{c.id:32} {r.seconds:5.1f}s  " + " ".join(f"{k}={o.seconds:.1f}" for k, o in r.outcomes.items())
             for c, r in sorted(results.items(), key=lambda kv: -kv[1].seconds)]
    lines += [f"\n{c.id} closing failed:\n{r.close_traceback}" for c, r in sorted(results.items()) if r.close_traceback]
    (matrix_env.log_dir / "matrix-timings.txt").write_text("\n".join(lines) + "\n")
    return run


@pytest.mark.parametrize("cell,check", ALL_CHECKS, ids=[f"{c.id}-{k}" for c, k in ALL_CHECKS])
def test_matrix(matrix_run: matrix.MatrixRun, cell: Cell, check: str) -> None:
    outcome = matrix_run.outcome(cell, check)
    if outcome.status == "na":
        pytest.skip(outcome.detail)
    if outcome.status == "gap":
        pytest.xfail(outcome.detail)
    if outcome.status != "pass":
        pytest.fail(f"{cell.id} {check}: {outcome.detail}", pytrace=False)


@pytest.mark.parametrize("cell", ALL_CELLS, ids=[c.id for c in ALL_CELLS])
def test_matrix_cell_closes_cleanly(matrix_run: matrix.MatrixRun, cell: Cell) -> None:
    """Leaving `async with Client(...)` (or closing the WebSocket) raises nothing."""
    cell_run = matrix_run.cells.get(cell)
    assert cell_run is not None, "the matrix run did not reach this cell"
    if cell_run.close_error and cell_run.close_known:
        pytest.xfail(f"{cell_run.close_known} Observed: {cell_run.close_error}")
    assert cell_run.close_error is None, cell_run.close_error
