"""wrk for the HTTP benchmark: the command line, the Lua script that POSTs the request bodies, and reading wrk's
text report (requests/s, the latency distribution, errors)."""
from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence


@dataclass
class WrkResult:
    requests_per_second: float
    latency_ms: dict[int, float]  # percentile -> ms
    requests: int
    errors: int  # socket errors + non-2xx/3xx answers

    @property
    def p50(self) -> float:
        return self.latency_ms.get(50, float("nan"))

    @property
    def p99(self) -> float:
        return self.latency_ms.get(99, float("nan"))


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    """Reads wrk's text report (with --latency): requests/s, the latency distribution, request and error counts."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    total = re.search(r"^\s*(\d+) requests in ", output, re.M)
    if not rate or not total:
        raise ValueError(f"cannot read wrk's report:\n{output}")
    latency: dict[int, float] = {}
    distribution = output.split("Latency Distribution", 1)
    if len(distribution) == 2:
        for percent, value in re.findall(r"^\s+(\d+(?:\.\d+)?)%\s+(\S+)\s*$", distribution[1], re.M):
            latency[int(float(percent))] = _duration_ms(value)
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    requests = int(total.group(1))
    if requests == 0:  # nothing finished within the run: no latency to speak of
        latency = {percent: float("nan") for percent in latency}
    return WrkResult(float(rate.group(1)), latency, requests, errors)


def _lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def lua_script(bodies: Sequence[str]) -> str:
    """POSTs the bodies in turn (one body: wrk pre-formats the request once)."""
    lines = ['wrk.method = "POST"', 'wrk.headers["Content-Type"] = "application/json"',
             'wrk.headers["Accept"] = "application/graphql-response+json"']
    if len(bodies) == 1:
        lines.append(f"wrk.body = {_lua_string(bodies[0])}")
        return "\n".join(lines) + "\n"
    lines.append("local bodies = {")
    lines += [f"  {_lua_string(body)}," for body in bodies]
    lines += [
        "}",
        "local requests = {}",
        "local counter = 0",
        "function init(args)",
        "  for i, body in ipairs(bodies) do requests[i] = wrk.format(nil, nil, nil, body) end",
        "  counter = math.random(#requests)",  # each thread starts elsewhere in the pool
        "end",
        "function request()",
        "  counter = counter % #requests + 1",
        "  return requests[counter]",
        "end",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class Target:
    """One thing to load: a URL and, for POSTs, the Lua script that sends the bodies."""

    url: str
    bodies: Sequence[str] = ()
    script: Path | None = None
    note: str = ""  # what the request covers, for the table
    items: int = 0  # records in the answer, where the time per record is reported

    def prepare(self, directory: Path, name: str) -> "Target":
        if self.bodies:
            self.script = directory / f"{name}.lua"
            self.script.write_text(lua_script(self.bodies), encoding="utf-8")
        return self


def wrk_command(target: Target, seconds: float, connections: int, threads: int) -> list[str]:
    threads = max(1, min(threads, connections))
    # wrk takes whole seconds
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, math.ceil(seconds))}s", "--latency",
               "--timeout", "30s"]
    if target.script is not None:
        command += ["-s", str(target.script)]
    return command + [target.url]


def run_wrk(target: Target, seconds: float, connections: int, threads: int) -> WrkResult:
    command = wrk_command(target, seconds, connections, threads)
    finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr or finished.stdout}")
    return parse_wrk(finished.stdout)
