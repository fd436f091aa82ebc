"""``nks-simulator`` command line: parse flags / YAML config, serve with uvicorn."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import tempfile
from typing import List, Optional

#: CLI flag -> SimConfig field, for flags that map one to one.
CONFIG_FLAGS = {
    "profile": "profile",
    "api_guide": "api_guide",
    "time_scale": "time_scale",
    "tenant_id": "tenant_id",
    "username": "username",
    "api_password": "api_password",
    "token_ttl": "token_ttl",
    "max_nodes_per_nodegroup": "max_nodes_per_nodegroup",
    "latency_ms": "latency_ms",
    "error_rate": "error_rate",
    "drop_rate": "drop_rate",
    "seed": "seed",
    "region": "region",
    "label_drift": "label_drift",
    "autoscale_values": "autoscale_values",
    "reject_unknown_attributes": "reject_unknown_attributes",
    "require_api_version": "require_api_version",
    "keypair_missing_creates": "keypair_missing_creates",
    "keypair_missing_seconds": "keypair_missing_seconds",
    "kube_ready_delay": "kube_ready_delay",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; every flag is documented in ``--help``."""
    parser = argparse.ArgumentParser(
        prog="nks-simulator",
        description="Local simulator of the NHN Kubernetes Service (NKS) API v2 and its identity "
                    "token API, on one base URL. See docs/simulator.md. Flags override --config.",
    )
    add = parser.add_argument
    add("--host", default=None, help="address to bind (default 127.0.0.1)")
    add("--port", type=int, default=None, help="port to bind (default 8787; 0 = ephemeral, see --port-file)")
    add("--port-file", metavar="PATH", help="write the bound port to PATH once listening")
    add("--config", metavar="FILE", help="YAML config file (keys: see docs/simulator.md)")
    add("--state-file", metavar="PATH", help="persist the state to PATH (SQLite, WAL, one row per resource; an old JSON state file is migrated at start and kept as PATH.json-backup) and reload it at start")
    add("--profile", choices=["fast", "realistic"], help="operation durations: fast (default, seconds) or "
                                                         "realistic (minutes, as on NKS)")
    add("--time-scale", type=float, metavar="F", help="multiply every duration by F (e.g. 0.1 = 10x faster)")
    add("--duration", action="append", metavar="EVENT_TYPE=SECONDS", default=[],
        help="override one operation's duration (repeatable), e.g. CLUSTER_CREATE=5")
    _add_api_flags(add)
    add("--log-level", default=None, choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn log level (default warning)")
    return parser


def _add_api_flags(add) -> None:
    """The flags of the simulated API: credentials, quotas, versions, faults and fidelity knobs."""
    add("--api-guide", choices=["2025-02", "2026-03"],
        help="NKS API guide served: 2026-03 (default, today's NKS) or 2025-02 (older regions, "
             "government sites); docs/simulator.md")
    add("--tenant-id", help="accepted tenant (project) id (default nks-sim-tenant)")
    add("--username", help="accepted user name (default operator@nks-sim.local)")
    add("--api-password", help="accepted API password (default nks-sim-password)")
    add("--region", help="region name in the service catalog; its availability zones are accepted (default KR2)")
    add("--kube-ready-delay", type=float, metavar="SECONDS",
        help="seconds from CREATE_COMPLETE until a cluster's Kubernetes API /readyz is ok, scaled by "
             "--time-scale (default 3 with --profile fast, 60 with realistic)")
    add("--token-ttl", type=float, metavar="SECONDS", help="token lifetime (default 43200 = 12 h)")
    add("--max-nodes-per-nodegroup", type=int, metavar="N", help="node count quota per node group (default 10)")
    add("--supported-versions", metavar="LIST",
        help="comma list of version=true|false merged into /v1/supports, e.g. v1.30.3=true,v1.26.3=false")
    add("--allow-duplicate-cluster-names", action="store_true", default=None,
        help="accept two clusters with the same name (get by name then answers 409)")
    add("--latency-ms", type=float, metavar="MS", help="added latency per identity//v1 request")
    add("--error-rate", type=float, metavar="P", help="fraction (0..1) of requests answered with an injected error")
    add("--error-codes", metavar="LIST", help="comma list of injected error codes (default 429,500,502,503)")
    add("--drop-rate", type=float, metavar="P",
        help="fraction (0..1) of requests processed and then answered with a cut connection")
    add("--seed", type=int, help="seed of the fault randomness (reproducible runs)")
    add("--no-label-drift", dest="label_drift", action="store_false", default=None,
        help="echo label values as sent (default: as NKS stores them, re-cased and reordered)")
    add("--autoscale-values", choices=["json", "string"], help="autoscaler GET value types (default json)")
    add("--reject-unknown-attributes", action="store_true", default=None,
        help="400 for unknown top-level request attributes")
    add("--require-api-version", choices=["nodegroups", "all", "none"],
        help="406 without OpenStack-API-Version: on node group paths (default), every /v1 path, never")
    add("--keypair-missing-creates", type=int, metavar="N",
        help="first N cluster creates naming a key pair get 403 'Unable to find keypair' (default 0)")
    add("--keypair-missing-seconds", type=float, metavar="S",
        help="cluster creates within S s of the first naming a key pair get that 403 (default 0)")
    _add_catalogue_flags(add)


def _add_catalogue_flags(add) -> None:
    """Availability zones, flavors, NKS registry (docs/simulator.md "Availability zones and flavors", "Add-ons")."""
    add("--availability-zones", metavar="LIST", help="comma list of the accepted availability zones "
                                                     "(default: those of --region)")
    add("--flavors", metavar="LIST", help="comma list of the accepted flavor UUIDs, or 'any' (default: the "
                                          "guides' example flavors)")
    add("--no-nks-registry", dest="nks_registry_new_clusters", action="store_false", default=None,
        help="new clusters have no NKS registry: their add-on operations and upgrades are refused")


def make_config(args: argparse.Namespace):
    """Merge defaults, the YAML file and the flags into (SimConfig, server options)."""
    from .config import SimConfig, load_yaml_config, parse_supported_versions

    data = load_yaml_config(args.config) if args.config else {}
    server = {key: data.pop(key, None) for key in ("host", "port", "state_file", "log_level", "port_file")}
    for flag, field in CONFIG_FLAGS.items():
        value = getattr(args, flag)
        if value is not None:
            data[field] = value
    if args.error_codes:
        data["error_codes"] = [int(c) for c in args.error_codes.split(",") if c.strip()]
    if args.availability_zones:
        data["availability_zones"] = [z.strip() for z in args.availability_zones.split(",") if z.strip()]
    if args.flavors:
        data["flavors"] = None if args.flavors.strip() == "any" else [
            f.strip() for f in args.flavors.split(",") if f.strip()]
    if args.nks_registry_new_clusters is not None:
        data["nks_registry_new_clusters"] = False
    if args.allow_duplicate_cluster_names:
        data["allow_duplicate_cluster_names"] = True
    if args.supported_versions:
        base = data.get("supported_versions") or SimConfig().supported_versions
        data["supported_versions"] = {**base, **parse_supported_versions(args.supported_versions)}
    durations = dict(data.get("durations") or {})
    for item in args.duration:
        key, _, seconds = item.partition("=")
        durations[key.strip()] = float(seconds)
    if durations:
        data["durations"] = durations
    config = SimConfig.model_validate(data)
    server = {
        "host": args.host or server["host"] or "127.0.0.1",
        "port": args.port if args.port is not None else (server["port"] if server["port"] is not None else 8787),
        "state_file": args.state_file or server["state_file"],
        "log_level": args.log_level or server["log_level"] or "warning",
        "port_file": args.port_file or server["port_file"],
    }
    return config, server


def _write_port_file(path: str, port: int) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".port-")
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{port}\n")
    os.replace(tmp, path)


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one); raises OSError (e.g. EADDRINUSE)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    sock = socket.create_server((host, port), family=family, backlog=2048)
    # Accepted connections inherit TCP_NODELAY (Linux). Without it uvicorn's header and body
    # writes meet Nagle's algorithm and the client's delayed ACK: every answer took ~44 ms.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of ``nks-simulator``."""
    args = build_parser().parse_args(argv)
    try:
        config, server = make_config(args)
    except Exception as exc:  # invalid flags or config file
        print(f"nks-simulator: error: {exc}", file=sys.stderr)
        return 2

    try:
        sock = _listen(server["host"], server["port"])
    except OSError as exc:  # one line, not uvicorn's traceback
        print(f"nks-simulator: cannot listen on {server['host']}:{server['port']}: {os.strerror(exc.errno) if exc.errno else exc}; "
              f"choose another port with --port N (make sim SIM_PORT=N), or --port 0 for a free one",
              file=sys.stderr)
        return 1

    import uvicorn

    from .app import create_app

    app = create_app(config, server["state_file"])
    uv_config = uvicorn.Config(app, host=server["host"], port=server["port"], log_level=server["log_level"],
                               access_log=server["log_level"] == "debug", timeout_graceful_shutdown=1)
    uv_server = uvicorn.Server(uv_config)

    async def serve() -> None:
        task = asyncio.create_task(uv_server.serve(sockets=[sock]))
        while not uv_server.started and not task.done():
            await asyncio.sleep(0.01)
        if uv_server.started:
            port = uv_server.servers[0].sockets[0].getsockname()[1]
            # The normal start, not a warning: printed without a level whatever --log-level is.
            print(f"nks-simulator listening on http://{server['host']}:{port}", file=sys.stderr, flush=True)
            if server["port_file"]:
                _write_port_file(server["port_file"], port)
        await task

    try:
        asyncio.run(serve())
    finally:
        app.state.runtime.store.close()  # the clusters' Kubernetes API listeners
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
