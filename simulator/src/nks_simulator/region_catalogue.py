"""The region's catalogue: availability zones per region and the default flavor catalogue.

* :data:`REGION_ZONES`: the public regions' availability zones as the user guide lists them
  ("Storage class", availability): Pangyo ``KR1`` kr-pub-a/kr-pub-b, Pyeongchon ``KR2``
  kr2-pub-a/kr2-pub-b, Gwangju ``KR3`` kr3-pub-a/kr3-pub-b.  The government regions' zone names are
  not published in the guides (the government guide's examples copy ``kr2-pub-b``): a simulator
  running as another region checks zones only when ``availability_zones`` lists them.
* :data:`DEFAULT_FLAVORS`: every flavor UUID of the API guides' examples (2025-02 and 2026-03, en
  and ko, the government guide) and of this repository's tests, playbooks, docs and bench.  NKS
  has no flavor list of its own (flavors are the Compute service's); the ``flavors`` setting
  replaces this list (docs/simulator.md "Availability zones and flavors").
"""

from __future__ import annotations

from typing import Dict, List, Optional

REGION_ZONES: Dict[str, List[str]] = {
    "KR1": ["kr-pub-a", "kr-pub-b"],
    "KR2": ["kr2-pub-a", "kr2-pub-b"],
    "KR3": ["kr3-pub-a", "kr3-pub-b"],
}

DEFAULT_FLAVORS: List[str] = [
    "6ef27f21-c774-4c0e-84ff-7dd4a762571f",  # the guides' Create a Cluster / Create a Node Group examples
    "069bdcff-e9b6-42c8-83ce-4c743ea30394",  # the guides' List Clusters / node group examples
    "1d0d6983-8e9d-44dc-810e-d7689afa372c",  # the guides' Change Instance Flavor example; tests' other flavor
    "9c7e8a52-0c3b-4e7e-a4f6-3f1c1c8e2b11",  # simulator/tests/test_rules.py
    "11111111-1111-4111-8111-111111111111",  # simulator/tests/test_fidelity.py (A, a flavor change)
]


def zones_of(region: str, configured: Optional[List[str]] = None) -> Optional[List[str]]:
    """The availability zones a simulator running as ``region`` accepts: ``configured`` when set,
    else :data:`REGION_ZONES` of the region (any case); None (not checked) for a region not listed."""
    if configured is not None:
        return list(configured)
    return REGION_ZONES.get(str(region).upper())
