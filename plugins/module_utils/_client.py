# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client for the NHN Kubernetes Service (NKS) API v2.

This module knows nothing of Ansible. It authenticates against the NHN Cloud
identity API, sends the headers the guide requires, retries what is safe to
retry and turns HTTP failures into typed exceptions (:class:`NksApiError` and
its subclasses) that carry the HTTP status, the API's error detail and the
request id.

Private to the collection: the leading underscore means no stability promise.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import time

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised only without requests
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc
    HTTPAdapter = object

    class Retry(object):
        """Stand-in so this module imports without urllib3."""

        def __init__(self, *args, **kwargs):
            pass


IDENTITY_URL = "https://api-identity-infrastructure.nhncloudservice.com"
"""Identity endpoint for every region (NKS_API_NOTES: Authentication)."""

REGIONS = ("kr1", "kr2", "kr3")
API_VERSION_HEADER = "container-infra latest"

# Statuses that mean "the server did not do it, try again later".
RETRY_STATUSES = (429, 500, 502, 503, 504)
# Methods urllib3 may repeat on its own: reads and idempotent writes.
IDEMPOTENT_METHODS = frozenset(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])


def region_endpoint(region):
    """Return the NKS endpoint of a region.

    :param str region: ``kr1``, ``kr2`` or ``kr3``.
    :returns: the base URL, e.g. ``https://kr1-api-kubernetes-infrastructure.nhncloudservice.com``.
    :raises ValueError: on an unknown region.
    """
    if region not in REGIONS:
        raise ValueError("region must be one of %s, got %r" % (", ".join(REGIONS), region))
    return "https://%s-api-kubernetes-infrastructure.nhncloudservice.com" % region


class NksError(Exception):
    """Base class of every error this client raises."""


class NksConnectionError(NksError):
    """The API could not be reached, or the connection broke before an answer.

    :ivar str method: HTTP method.
    :ivar str url: URL requested.
    :ivar bool broken_answer: the server answered, but the answer broke off after
        its headers (the request may have been carried out).
    """

    broken_answer = False

    def __init__(self, message, method=None, url=None):
        super(NksConnectionError, self).__init__(message)
        self.method = method
        self.url = url


class NksApiError(NksError):
    """The API answered with an HTTP error.

    :ivar int status: HTTP status code.
    :ivar str detail: the API's error text (Magnum ``errors[0].detail``, Keystone
        ``error.message``) or the raw body.
    :ivar str request_id: the ``X-OpenStack-Request-Id`` (or the body's
        ``request_id``) when the API gave one, else ``None``.
    :ivar str method: HTTP method. :ivar str url: URL requested.
    """

    def __init__(self, status, detail, request_id=None, method=None, url=None):
        self.status = status
        self.detail = detail
        self.request_id = request_id
        self.method = method
        self.url = url
        super(NksApiError, self).__init__(self.describe())

    def describe(self):
        """Return a one-line message: method, path, status and detail."""
        where = "%s %s" % (self.method, self.url) if self.method else "request"
        return "%s failed with HTTP %s: %s" % (where, self.status, self.detail)


class NksAuthError(NksApiError):
    """HTTP 401: bad credentials, or a token that expired or was revoked."""


class NksNotFound(NksApiError):
    """HTTP 404: the cluster, node group or event does not exist."""


class NksConflict(NksApiError):
    """HTTP 409: duplicate name, or a name that matches several clusters."""


_ERROR_CLASSES = {401: NksAuthError, 404: NksNotFound, 409: NksConflict}


def _parse_error(response):
    """Extract ``(detail, request_id)`` from an error response.

    Understands the Magnum body ``{"errors": [{"detail", "request_id"}]}`` and
    the Keystone body ``{"error": {"message"}}``; falls back to the raw text.
    """
    request_id = (
        response.headers.get("X-OpenStack-Request-Id")
        or response.headers.get("X-Compute-Request-Id")
        or response.headers.get("X-Request-Id")
    )
    detail = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            detail = errors[0].get("detail") or errors[0].get("title")
            request_id = request_id or errors[0].get("request_id") or None
        elif isinstance(body.get("error"), dict):
            detail = body["error"].get("message") or body["error"].get("title")
        elif "detail" in body:
            detail = body["detail"]
    if not detail:
        detail = (response.text or response.reason or "").strip()[:500] or "no detail"
    return detail, request_id


RETRY_AFTER_MAX = 30.0
"""Longest ``Retry-After`` (seconds) honoured; a server asking for more is waited on this long."""


class _JitterRetry(Retry):
    """urllib3 ``Retry`` whose backoff is jittered ("full jitter") and capped, and whose
    ``Retry-After`` is capped at :data:`RETRY_AFTER_MAX`."""

    def get_backoff_time(self):
        base = super(_JitterRetry, self).get_backoff_time()
        return random.uniform(base / 2.0, base) if base > 0 else 0

    def get_retry_after(self, response):
        seconds = super(_JitterRetry, self).get_retry_after(response)
        return None if seconds is None else min(seconds, RETRY_AFTER_MAX)


class NksClient(object):
    """A session against the NKS API v2 and the NHN Cloud identity API.

    :param str api_url: NKS base URL (no trailing ``/v1``). When ``None`` it is
        derived from ``region``.
    :param str region: ``kr1``/``kr2``/``kr3``, used when ``api_url`` is not given.
    :param str identity_url: identity base URL (``POST {identity_url}/v2.0/tokens``).
    :param str tenant_id: tenant (project) ID.
    :param str username: NHN Cloud ID (e-mail) or IAM member ID.
    :param str api_password: the API password (not the console password).
    :param str auth_token: an already issued token; used as is. With a password
        too, the client re-authenticates once when the token is refused.
    :param bool validate_certs: verify TLS certificates.
    :param float timeout: seconds per HTTP request (connect and read).
    :param int retries: how many times a safe call is repeated on 429/5xx and
        connection errors.
    :param float backoff: base seconds of the exponential, jittered backoff
        (capped at ``backoff_max``).
    :raises ValueError: when neither a token nor tenant/username/password is given.
    """

    def __init__(self, api_url=None, region="kr1", identity_url=None, tenant_id=None,
                 username=None, api_password=None, auth_token=None, validate_certs=True,
                 timeout=30.0, retries=5, backoff=0.5, backoff_max=8.0, user_agent=None):
        if not HAS_REQUESTS:
            raise NksError("the python 'requests' library is required: %s" % REQUESTS_IMPORT_ERROR)
        if not auth_token and not (tenant_id and username and api_password):
            raise ValueError(
                "credentials are missing: give auth_token, or tenant_id, username and api_password"
            )
        self.api_url = (api_url or region_endpoint(region)).rstrip("/")
        self.identity_url = (identity_url or IDENTITY_URL).rstrip("/")
        self.tenant_id = tenant_id
        self.username = username
        self._password = api_password
        self._token = auth_token
        self.token_expires = None
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.identity_requests = 0
        self.session = requests.Session()
        self.session.verify = validate_certs
        self.session.headers.update({
            "Accept": "application/json",
            "Content-Type": "application/json",
            "OpenStack-API-Version": API_VERSION_HEADER,
            "User-Agent": user_agent or "nhncloud.nks-ansible",
        })
        self._safe = self._adapter(IDEMPOTENT_METHODS | frozenset(["POST", "PATCH"]))
        self._reads_only = self._adapter(IDEMPOTENT_METHODS)

    def _adapter(self, methods):
        retry = _JitterRetry(
            total=self.retries, connect=self.retries, read=self.retries, status=self.retries,
            other=0, allowed_methods=methods, status_forcelist=RETRY_STATUSES,
            backoff_factor=self.backoff, backoff_max=self.backoff_max,
            respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False,
        )
        return HTTPAdapter(max_retries=retry)

    # -- authentication -------------------------------------------------

    @property
    def token(self):
        """The current token, authenticating first when there is none."""
        if not self._token:
            self.authenticate()
        return self._token

    def authenticate(self):
        """Obtain a token: ``POST {identity}/v2.0/tokens`` (NKS_API_NOTES: Authentication).

        :returns: the token id (``access.token.id``).
        :raises NksAuthError: on rejected credentials (401).
        :raises NksApiError, NksConnectionError: on other failures.
        """
        if not (self.tenant_id and self.username and self._password):
            raise NksAuthError(401, "the token was refused and no tenant_id/username/api_password"
                                    " were given to obtain a new one", method="POST",
                               url=self.identity_url + "/v2.0/tokens")
        body = {"auth": {"tenantId": self.tenant_id,
                         "passwordCredentials": {"username": self.username,
                                                 "password": self._password}}}
        self.identity_requests += 1
        data = self._send("POST", self.identity_url + "/v2.0/tokens", body, safe=True, auth=False)
        try:
            self._token = data["access"]["token"]["id"]
            self.token_expires = data["access"]["token"].get("expires")
        except (KeyError, TypeError):
            raise NksApiError(200, "the identity API answered without access.token.id",
                              method="POST", url=self.identity_url + "/v2.0/tokens")
        return self._token

    # -- requests ---------------------------------------------------------

    def request(self, method, path, body=None, safe=None):
        """Send one NKS API call and return its decoded JSON body.

        :param str method: ``GET``, ``POST``, ``PATCH`` or ``DELETE``.
        :param str path: path below the base URL, e.g. ``/v1/clusters``.
        :param dict body: JSON body, or ``None``.
        :param bool safe: may the call be repeated after a 5xx or a broken
            connection? Defaults to ``True`` for GET/DELETE and ``False`` for
            POST/PATCH: a create is never re-posted blindly. Set it ``True``
            for actions that set a state (autoscaler, IP ACL, user script).
        :returns: the decoded body (``dict``), or ``{}`` for an empty answer.
        :raises NksAuthError: 401 even after one re-authentication.
        :raises NksNotFound: 404. :raises NksConflict: 409.
        :raises NksApiError: any other HTTP error.
        :raises NksConnectionError: no answer after the retries.
        """
        if safe is None:
            safe = method.upper() in IDEMPOTENT_METHODS
        url = self.api_url + path
        if not self._token:
            self.authenticate()  # outside the retry below: a refused password is not sent twice
        try:
            return self._send(method, url, body, safe=safe, auth=True)
        except NksAuthError:
            if not (self.tenant_id and self.username and self._password):
                raise
            self.authenticate()
            return self._send(method, url, body, safe=safe, auth=True)

    def get(self, path):
        """``GET`` ``path``; see :meth:`request`."""
        return self.request("GET", path)

    def _send(self, method, url, body, safe, auth):
        """Send one request; a safe one is sent again (jittered, capped backoff, at most
        ``retries`` more times) when its answer broke off after the headers: urllib3 retries
        only up to the status line, and a lost answer arrives as a broken body."""
        delays = backoff_delays(self.backoff or 0.1, 2.0, self.backoff_max)
        attempt = 0
        while True:
            try:
                return self._send_once(method, url, body, safe, auth)
            except NksConnectionError as exc:
                attempt += 1
                if not (safe and exc.broken_answer) or attempt > self.retries:
                    raise
                sleep(next(delays))

    def _send_once(self, method, url, body, safe, auth):
        # The token first: obtaining it sends a (safe) request that mounts its own adapter.
        headers = {"X-Auth-Token": self.token} if auth else {}
        adapter = self._safe if safe else self._reads_only
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        try:
            response = self.session.request(method, url, json=body, headers=headers,
                                            timeout=self.timeout)
        except requests.exceptions.RetryError as exc:
            raise NksConnectionError("%s %s: gave up after %d retries: %s"
                                     % (method, url, self.retries, exc), method, url)
        except requests.exceptions.ChunkedEncodingError as exc:
            error = NksConnectionError("%s %s: the answer broke off: %s" % (method, url, exc), method, url)
            error.broken_answer = True
            raise error
        except requests.exceptions.RequestException as exc:
            raise NksConnectionError("%s %s: %s" % (method, url, exc), method, url)
        if response.status_code >= 400:
            detail, request_id = _parse_error(response)
            cls = _ERROR_CLASSES.get(response.status_code, NksApiError)
            raise cls(response.status_code, detail, request_id, method, url)
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise NksApiError(response.status_code, "the answer is not JSON: %s"
                              % response.text[:200], method=method, url=url)


def backoff_delays(initial=1.0, factor=1.5, maximum=10.0):
    """Yield poll delays in seconds: ``initial``, then times ``factor``, capped at ``maximum``.

    Each delay is jittered by up to 10 % so many waiters do not poll in step.
    """
    delay = initial
    while True:
        yield min(maximum, delay) * random.uniform(0.9, 1.0)
        delay = min(maximum, delay * factor)


def sleep(seconds):
    """``time.sleep``; a seam for tests."""
    time.sleep(seconds)
