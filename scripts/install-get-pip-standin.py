"""Install scripts/get_pip_standin.py as ansible-test's cached get-pip script.

Run with the venv's python (the one that has ansible-core installed). The pip
version ansible-test pins is read from the installed ansible-test, so this
keeps working when ansible-core is upgraded. Idempotent.
"""

import os
import re
import shutil
import sys

import ansible_test

MARKER = b"Offline stand-in for the pinned get-pip script"
HERE = os.path.dirname(os.path.abspath(__file__))


def pinned_pip_version():
    path = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
    with open(path, encoding="utf-8") as handle:
        match = re.search(r"""\bpip\s*=\s*['"]([0-9][^'"]*)['"]""", handle.read())
    if not match:
        sys.exit("cannot find the pinned pip version in %s" % path)
    return match.group(1)


def main():
    version = pinned_pip_version()
    cache = os.path.expanduser("~/.ansible/test/cache")
    target = os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_"))
    source = os.path.join(HERE, "get_pip_standin.py")
    os.makedirs(cache, exist_ok=True)
    if os.path.exists(target):
        with open(target, "rb") as have, open(source, "rb") as want:
            current = have.read()
            if current == want.read():
                print("get-pip %s stand-in already in place: %s" % (version, target))
                return
        if MARKER not in current:
            # A real get-pip script (downloaded by ansible-test): keep it.
            print("keeping existing get-pip %s script: %s" % (version, target))
            return
    shutil.copyfile(source, target)
    print("installed get-pip %s stand-in: %s" % (version, target))


if __name__ == "__main__":
    main()
