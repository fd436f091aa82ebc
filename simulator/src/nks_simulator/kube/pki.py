"""Certificates of a simulated cluster's Kubernetes API, made with ``cryptography``.

Each cluster gets its own certificate authority (EC P-256, self-signed), a server
certificate for the loopback address signed by it, and an ``admin`` client
certificate (``O=system:masters``, as kubeadm issues) for the kubeconfig.  All
material is PEM text so that it can live in the simulator's JSON state.
"""

from __future__ import annotations

import datetime
import ipaddress
from typing import Dict, Optional

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: Validity of a cluster CA (kubeadm: 10 years).
CA_YEARS = 10
#: Clock skew allowance: certificates are valid from this many seconds before issue.
BACKDATE_SECONDS = 300


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode()


def _pem_cert(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _builder(subject: x509.Name, issuer: x509.Name, public_key, now: float, years: int) -> x509.CertificateBuilder:
    start = datetime.datetime.fromtimestamp(now - BACKDATE_SECONDS, datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=365 * years)))


def new_authority(cluster_uuid: str, now: float, years: int = CA_YEARS) -> Dict[str, str]:
    """A fresh cluster CA: ``{"ca_cert": PEM, "ca_key": PEM}``.

    The subject names the cluster (``CN=kubernetes, OU=<cluster uuid>``), so that
    every simulator-issued CA has a distinct subject.
    """
    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kubernetes"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, cluster_uuid)])
    cert = (_builder(name, name, key.public_key(), now, years)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, key_cert_sign=True,
                                         crl_sign=True, content_commitment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False),
                           critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return {"ca_cert": _pem_cert(cert), "ca_key": _pem_key(key)}


def _issue(authority: Dict[str, str], subject: x509.Name, now: float, years: int, server: bool,
           san: Optional[x509.SubjectAlternativeName] = None) -> Dict[str, str]:
    ca_cert = x509.load_pem_x509_certificate(authority["ca_cert"].encode())
    ca_key = serialization.load_pem_private_key(authority["ca_key"].encode(), password=None)
    key = _key()
    usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = (_builder(subject, ca_cert.subject, key.public_key(), now, years)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, key_cert_sign=False,
                                            crl_sign=False, content_commitment=False, data_encipherment=False,
                                            key_agreement=False, encipher_only=False, decipher_only=False),
                              critical=True)
               .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),
                              critical=False))
    if san is not None:
        builder = builder.add_extension(san, critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    return {"cert": _pem_cert(cert), "key": _pem_key(key)}


def issue_server(authority: Dict[str, str], host: str, now: float, years: int) -> Dict[str, str]:
    """The API server's certificate for ``host`` (an IP address), plus the usual
    in-cluster names: ``{"cert": PEM, "key": PEM}``."""
    names = [x509.IPAddress(ipaddress.ip_address(host)), x509.DNSName("localhost"), x509.DNSName("kubernetes"),
             x509.DNSName("kubernetes.default"), x509.DNSName("kubernetes.default.svc"),
             x509.DNSName("kubernetes.default.svc.cluster.local")]
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")])
    return _issue(authority, subject, now, years, True, x509.SubjectAlternativeName(names))


def issue_client(authority: Dict[str, str], user: str, now: float, years: int,
                 group: str = "system:masters") -> Dict[str, str]:
    """A client certificate ``CN=<user>, O=<group>``: ``{"cert": PEM, "key": PEM}``."""
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, group),
                         x509.NameAttribute(NameOID.COMMON_NAME, user)])
    return _issue(authority, subject, now, years, False)


def cross_certify(root: Dict[str, str], authority: Dict[str, str], now: float, years: int = CA_YEARS) -> str:
    """A certificate for the cluster CA's subject and key issued by the simulator's ``root``
    (PEM).  Clients send it after their leaf, so that every listener can verify the client
    certificates of every cluster with the root alone (see docs/simulator-kubernetes.md)."""
    root_cert = x509.load_pem_x509_certificate(root["ca_cert"].encode())
    root_key = serialization.load_pem_private_key(root["ca_key"].encode(), password=None)
    ca = x509.load_pem_x509_certificate(authority["ca_cert"].encode())
    cert = (_builder(ca.subject, root_cert.subject, ca.public_key(), now, years)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False, key_cert_sign=True,
                                         crl_sign=True, content_commitment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False),
                           critical=True)
            .sign(root_key, hashes.SHA256()))
    return _pem_cert(cert)


def new_cluster_pki(cluster_uuid: str, root: Dict[str, str], host: str, now: float, years: int) -> Dict[str, str]:
    """Everything a cluster needs, as PEM strings: its CA (``ca_cert``, ``ca_key``), the CA
    cross-certified by ``root`` (``ca_cross``, ``root_cert``), the API server's certificate
    for ``host`` (``server_cert``, ``server_key``) and the ``admin`` client certificate
    (``client_cert``, ``client_key``) valid ``years`` years from ``now`` (epoch seconds)."""
    authority = new_authority(cluster_uuid, now)
    server = issue_server(authority, host, now, years)
    client = issue_client(authority, "admin", now, years)
    return {**authority, "ca_cross": cross_certify(root, authority, now), "root_cert": root["ca_cert"],
            "server_cert": server["cert"], "server_key": server["key"],
            "client_cert": client["cert"], "client_key": client["key"]}


def issued_by(cert_der: bytes, ca_pem: str, now: float) -> Optional[str]:
    """The user name (CN) of a client certificate if ``ca_pem`` signed it and it is valid
    at ``now`` (epoch seconds) for client authentication; ``None`` otherwise."""
    try:
        cert = x509.load_der_x509_certificate(cert_der)
        ca = x509.load_pem_x509_certificate(ca_pem.encode())
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return None
    moment = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
    if not cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc:
        return None
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""

