"""The Kubernetes API of every simulated cluster (issue 13.1; docs/simulator-kubernetes.md).

``server.KubeAPI`` owns the TLS listeners, ``handler``/``routes`` the wire,
``objects``/``tables`` the Kubernetes objects derived from the store's state and
``pki`` the certificates.  :func:`kubeconfig` renders Get kubeconfig of a Cluster.
"""

from __future__ import annotations

import base64

import yaml

from .server import KubeAPI

__all__ = ["KubeAPI", "kubeconfig"]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def kubeconfig(cluster: dict) -> str:
    """Guide: Cluster > Get kubeconfig of a Cluster: YAML whose server is the cluster's
    ``api_address`` (its simulated API), trusting the cluster CA, with the ``admin``
    client certificate (followed by the CA's cross-certificate, see
    docs/simulator-kubernetes.md) and key; context ``default``, user ``admin`` as on NKS."""
    name = cluster["name"]
    material = cluster["kube"]["pki"]
    doc = {
        "apiVersion": "v1",
        "clusters": [{"cluster": {"certificate-authority-data": _b64(material["ca_cert"]),
                                  "server": cluster["api_address"]}, "name": name}],
        "contexts": [{"context": {"cluster": name, "user": "admin"}, "name": "default"}],
        "current-context": "default",
        "kind": "Config",
        "preferences": {},
        "users": [{"name": "admin", "user": {
            "client-certificate-data": _b64(material["client_cert"] + material["ca_cross"]),
            "client-key-data": _b64(material["client_key"])}}],
    }
    return yaml.safe_dump(doc, sort_keys=False)
