"""Availability zones of the simulator's region and its flavor catalogue (Create a Cluster, Create a
Node Group, Change Instance Flavor); the CLI flags of the catalogues; the normal start line."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import GUIDE_NODEGROUP, cluster_body, start_sim
from test_addons import Api, detail

from nks_simulator.cli import build_parser, make_config
from nks_simulator.config import SimConfig
from nks_simulator.launcher import default_command
from nks_simulator.region_catalogue import DEFAULT_FLAVORS, REGION_ZONES, zones_of

ROOT = Path(__file__).resolve().parents[2]
OTHER_FLAVOR = "1d0d6983-8e9d-44dc-810e-d7689afa372c"
SUFFIXES = (".md", ".py", ".yml", ".yaml", ".txt", ".json", ".rst")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_region_zones():
    assert REGION_ZONES == {"KR1": ["kr-pub-a", "kr-pub-b"], "KR2": ["kr2-pub-a", "kr2-pub-b"],
                            "KR3": ["kr3-pub-a", "kr3-pub-b"]}
    assert SimConfig().region == "KR2"  # the guides' examples (kr2-pub-b) run as they are
    assert zones_of("kr1") == ["kr-pub-a", "kr-pub-b"]
    assert zones_of("GOV-KR1") is None and zones_of("GOV-KR1", ["a"]) == ["a"]


def files_of(base):
    """The files under ``base``: in this checkout, those git knows (not what a test run left in ignored
    directories such as tests/runner/artifacts/, which make test's other targets write at the same time);
    elsewhere, every file."""
    try:
        listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--", str(base)], check=True,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    except (OSError, subprocess.CalledProcessError):
        return list(base.rglob("*"))
    return [ROOT / name for name in listed.decode().split("\0") if name]


def test_default_flavors_cover_the_guides_and_the_repository():
    """Every UUID on a line naming a flavor, in the guides and in the repository, is in the catalogue."""
    sources = [ROOT / d for d in ("tests", "playbooks", "docs", "bench", "roles", "plugins", "simulator/tests")]
    shared = Path("/work/shared")
    if shared.is_dir():
        sources += [shared / "nks-docs-2026-03", shared / "seeds"]
    found = set()
    for base in sources:
        for path in files_of(base):
            if path.is_file() and path.name != Path(__file__).name and path.suffix in SUFFIXES:
                for line in path.read_text(errors="replace").splitlines():
                    if "flavor" in line.lower() and "addon" not in line.lower():
                        found.update(UUID.findall(line))
    assert found and found <= set(DEFAULT_FLAVORS), sorted(found - set(DEFAULT_FLAVORS))


@pytest.fixture
def api():
    sim = Api()
    yield sim
    sim.runtime.store.close()


def test_create_checks_zone_and_flavor(api):
    status, body = api.call("POST", "/v1/clusters", cluster_body(labels__availability_zone="kr-pub-a"))
    assert status == 400 and detail(body) == (
        "Invalid input for field labels.availability_zone: availability zone 'kr-pub-a' does not exist in region "
        "KR2 (availability zones: kr2-pub-a, kr2-pub-b).")
    status, body = api.call("POST", "/v1/clusters", cluster_body(flavor_id="00000000-0000-4000-8000-000000000000"))
    assert status == 400 and detail(body) == ("Invalid input for field flavor_id: flavor "
                                              "00000000-0000-4000-8000-000000000000 could not be found.")
    assert api.call("GET", "/v1/clusters")[1]["clusters"] == []
    for zone in ("kr2-pub-a", "kr2-pub-b"):
        api.cluster(cluster_body(labels__availability_zone=zone, flavor_id=OTHER_FLAVOR))


def test_nodegroup_create_and_flavor_change_check_the_catalogue(api):
    cid = api.cluster()
    path = f"/v1/clusters/{cid}/nodegroups"
    bad_zone = {**GUIDE_NODEGROUP, "labels": {**GUIDE_NODEGROUP["labels"], "availability_zone": "kr9-pub-z"}}
    status, body = api.call("POST", path, bad_zone)
    assert status == 400 and "availability zone 'kr9-pub-z' does not exist in region KR2" in detail(body)
    status, body = api.call("POST", path, {**GUIDE_NODEGROUP, "flavor_id": "44444444-4444-4444-8444-444444444444"})
    assert status == 400 and "flavor 44444444-4444-4444-8444-444444444444 could not be found" in detail(body)
    assert api.call("POST", path, GUIDE_NODEGROUP)[0] == 202
    api.later()
    status, body = api.call("PATCH", f"{path}/{GUIDE_NODEGROUP['name']}",
                            {"type": "flavor_id", "flavor_id": "22222222-2222-4222-8222-222222222222"})
    assert status == 400 and "could not be found" in detail(body)
    assert api.call("PATCH", f"{path}/{GUIDE_NODEGROUP['name']}",
                    {"type": "flavor_id", "flavor_id": OTHER_FLAVOR})[0] == 202


def test_configured_zones_and_any_flavor():
    api = Api(region="KR1", flavors=None)
    try:
        api.cluster(cluster_body(labels__availability_zone="kr-pub-b",
                                 flavor_id="33333333-3333-4333-8333-333333333333"))
        assert api.call("POST", "/v1/clusters", cluster_body())[0] == 400  # kr2-pub-b is not in KR1
        api.runtime.config.availability_zones = ["zone-x"]
        api.cluster(cluster_body(labels__availability_zone="zone-x"))
    finally:
        api.runtime.store.close()


def test_cli_flags():
    config, _ = make_config(build_parser().parse_args(
        ["--region", "KR3", "--availability-zones", "kr3-pub-a, kr3-pub-c", "--flavors", "any", "--no-nks-registry"]))
    assert (config.region, config.availability_zones, config.flavors, config.nks_registry_new_clusters) == (
        "KR3", ["kr3-pub-a", "kr3-pub-c"], None, False)
    config, _ = make_config(build_parser().parse_args(["--flavors", OTHER_FLAVOR]))
    assert config.flavors == [OTHER_FLAVOR] and config.nks_registry_new_clusters is True
    assert config.flavors is not None and SimConfig().flavors == DEFAULT_FLAVORS


def test_the_normal_start_line_is_not_a_warning(tmp_path):
    sim = start_sim(tmp_path / "sim")
    try:
        log = (tmp_path / "sim" / "simulator.log").read_text()
    finally:
        sim.kill()
    assert re.search(r"^nks-simulator listening on http://127\.0\.0\.1:\d+$", log, re.M), log
    assert "WARNING" not in log


def test_help_names_the_catalogue_flags():
    out = subprocess.run([*default_command(), "--help"], capture_output=True, text=True, check=True).stdout
    for flag in ("--availability-zones", "--flavors", "--no-nks-registry"):
        assert flag in out
