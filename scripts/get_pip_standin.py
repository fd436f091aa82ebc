"""Offline stand-in for the pinned get-pip script that ansible-test downloads.

ansible-test (``sanity --venv``, ``units --venv``) bootstraps pip in each
virtual environment it creates by running
``https://ci-files.testing.ansible.com/ansible-test/get-pip-<version>.py``.
That host is not reachable from our machines, but ansible-test first looks
for a cached copy in ``~/.ansible/test/cache/get_pip_<version>.py``;
``scripts/install-get-pip-standin.py`` (``make get-pip``) copies this file
there.

It is run as ``python get_pip.py [pip options] pip==X.Y ...
--no-setuptools --no-wheel`` and must leave pip installed: bootstrap pip
with ``ensurepip`` (bundled with CPython, works offline), then let that pip
install the requested packages from the package index.
"""

import subprocess
import sys

# get-pip.py options that are not ``pip install`` options.
GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}


def main():
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet"] + args)
    if "--no-setuptools" in sys.argv[1:]:
        # ensurepip bundles setuptools on Python < 3.12; get-pip would not.
        subprocess.call([sys.executable, "-m", "pip", "uninstall", "--quiet", "--yes", "setuptools"])


if __name__ == "__main__":
    main()
