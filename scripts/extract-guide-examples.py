#!/usr/bin/env python
"""Extract the JSON request and response examples of the NKS API guides into test fixtures.

Reads the four guides (2026-03 and 2025-02, English and Korean) from a directory and writes one
fixture per guide and language to ``simulator/tests/guide_examples/<guide>-<lang>.json``, which
``simulator/tests/test_guide_examples.py`` replays against the simulator (docs/simulator.md,
"Conformance with the guides' examples").  A new revision of a guide is one command:

    scripts/extract-guide-examples.py [--docs DIR] [--out DIR]

``DIR`` (default ``../shared`` next to the checkout) holds ``nks-docs-2026-03/en-public-api.md``,
``nks-docs-2026-03/ko-public-api.md``, ``nks-docs-2026-03/en-public-api.2025-02.md`` and
``seeds/000_0e62f64237eee1c3.txt`` (the Korean 2025 guide); ``--source GUIDE:LANG:PATH`` replaces one.

How an example is attributed: an operation starts at a fenced block whose first line is
``METHOD /path``; each ```` ```json ```` block after it belongs to that operation, as a request until
the response heading (``#### Response``, ``#### 응답``, or the English 2026 guide's mislabelled
``#### Type``), as a response after it.  The guides' JSON is not always valid: trailing commas are
removed, and an object wrapped in a second pair of braces unwrapped; an example that still does not parse is
kept with ``error`` and its ``text`` (the test pins their list, it cannot check them).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = {
    ("2026-03", "en"): "nks-docs-2026-03/en-public-api.md",
    ("2026-03", "ko"): "nks-docs-2026-03/ko-public-api.md",
    ("2025-02", "en"): "nks-docs-2026-03/en-public-api.2025-02.md",
    ("2025-02", "ko"): "seeds/000_0e62f64237eee1c3.txt",
}
METHOD_LINE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE)\s+(/\S+)\s*$")
RESPONSE_HEADING = re.compile(r"^#{3,5}\s*(Response|응답|Type)\s*$")
SECTION_HEADING = re.compile(r"^#{2,3}\s+(.*\S)\s*$")


def lenient_json(text: str):
    """Parse ``text`` as JSON, else with trailing commas removed; raises ValueError."""
    try:
        return json.loads(text)
    except ValueError:
        text = re.sub(r",(\s*[}\]])", r"\1", text)
        # an object wrapped in a second pair of braces (Get a Cluster's health_status_reason)
        text = re.sub(r":\s*\{\s*(\{[^{}]*\})\s*\}", r": \1", text)
        return json.loads(text)


def extract(text: str) -> list:
    """The examples of one guide: ``[{section, method, path, kind, index, line, body | error+text}]``."""
    lines = text.splitlines()
    examples, section, op, kind, counters = [], None, None, "request", {}
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = SECTION_HEADING.match(line)
        if heading and not line.startswith("####"):
            section, op, kind = heading.group(1), None, "request"
        elif RESPONSE_HEADING.match(line) and op is not None:
            kind = "response"
        elif line.startswith("```"):
            lang = line[3:].strip().lower()
            start = i + 1
            j = start
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            block = lines[start:j]
            first = next((b.strip() for b in block if b.strip()), "")
            method = METHOD_LINE.match(first)
            if method and lang != "json":
                op, kind = (method.group(1), method.group(2)), "request"
            elif lang == "json" and op is not None:
                body_text = "\n".join(block)
                key = (op, kind)
                counters[key] = counters.get(key, 0) + 1
                item = {"section": section, "method": op[0], "path": op[1], "kind": kind,
                        "index": counters[key], "line": start}
                try:
                    item["body"] = lenient_json(body_text)
                except ValueError as exc:
                    item["error"] = f"not JSON: {exc}"
                    item["text"] = body_text
                examples.append(item)
            i = j
        i += 1
    return examples


def default_docs() -> str:
    """``shared`` next to the checkout, or next to a parent of it (a worktree under ``wt/``)."""
    here = ROOT
    while os.path.dirname(here) != here:
        here = os.path.dirname(here)
        if os.path.isdir(os.path.join(here, "shared")):
            return os.path.join(here, "shared")
    return os.path.join(os.path.dirname(ROOT), "shared")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--docs", default=default_docs(),
                        help="directory holding the guides (default: ../shared next to the checkout, "
                             "or next to one of its parents)")
    parser.add_argument("--out", default=os.path.join(ROOT, "simulator", "tests", "guide_examples"),
                        help="fixture directory (default simulator/tests/guide_examples)")
    parser.add_argument("--source", action="append", default=[], metavar="GUIDE:LANG:PATH",
                        help="read GUIDE (2026-03/2025-02) LANG (en/ko) from PATH instead")
    args = parser.parse_args(argv)
    sources = {key: os.path.join(args.docs, rel) for key, rel in SOURCES.items()}
    for item in args.source:
        guide, lang, path = item.split(":", 2)
        sources[(guide, lang)] = path
    os.makedirs(args.out, exist_ok=True)
    for (guide, lang), path in sorted(sources.items()):
        with open(path, encoding="utf-8") as handle:
            examples = extract(handle.read())
        out = os.path.join(args.out, f"{guide}-{lang}.json")
        with open(out, "w", encoding="utf-8") as handle:
            json.dump({"guide": guide, "lang": lang, "source": os.path.relpath(path, args.docs)
                       if path.startswith(args.docs) else os.path.basename(path),
                       "examples": examples}, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        bad = sum(1 for e in examples if "error" in e)
        ops = len({(e["method"], e["path"]) for e in examples})
        print(f"{out}: {len(examples)} examples of {ops} operations ({bad} not parsable)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
