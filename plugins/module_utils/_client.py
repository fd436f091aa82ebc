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
import re
import time

from ._retry import DEFAULT_POLICY, THROTTLED, retry_after_seconds

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
"""NHN Cloud regions with an NKS endpoint (the ``choices`` of ``region``)."""
DEFAULT_REGION = "kr1"
DEFAULT_TIMEOUT = 30.0
"""Seconds per HTTP request when ``http_timeout`` is not set."""
API_VERSION_HEADER = "container-infra latest"

CONNECTION_ENV = (
    ("region", "NHN_CLOUD_REGION"), ("api_url", "NKS_API_URL"),
    ("identity_url", "NHN_CLOUD_IDENTITY_URL"), ("tenant_id", "NHN_CLOUD_TENANT_ID"),
    ("username", "NHN_CLOUD_USERNAME"), ("api_password", "NHN_CLOUD_API_PASSWORD"),
    ("auth_token", "NHN_CLOUD_AUTH_TOKEN"), ("validate_certs", "NHN_CLOUD_VALIDATE_CERTS"),
    ("http_timeout", "NHN_CLOUD_HTTP_TIMEOUT"),
)
"""The connection options of modules and inventory, each with its environment variable
(doc fragment ``nhncloud.nks.auth``)."""
ENV_OF = dict(CONNECTION_ENV)

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
    :ivar float retry_after: the answer's ``Retry-After`` (s), or ``None``.
    :ivar str hint: what to check, added to the message (no secret), or ``None``.
    """

    def __init__(self, status, detail, request_id=None, method=None, url=None, retry_after=None,
                 hint=None):
        self.status = status
        self.detail = detail
        self.request_id = request_id
        self.method = method
        self.url = url
        self.retry_after = retry_after
        self.hint = hint
        super(NksApiError, self).__init__(self.describe())

    def describe(self):
        """Return a one-line message: method, path, status, detail and what to check."""
        where = "%s %s" % (self.method, self.url) if self.method else "request"
        text = "%s failed with HTTP %s: %s" % (where, self.status, self.detail)
        return "%s. %s" % (text.rstrip("."), self.hint) if self.hint else text

    def with_hint(self, hint):
        """Set :attr:`hint` (and the message); returns ``self`` to re-raise."""
        self.hint = hint
        self.args = (self.describe(),)
        return self


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


class JitterRetry(Retry):
    """urllib3 ``Retry`` driven by a :class:`._retry.RetryPolicy`: jittered, capped backoff
    (:meth:`RetryPolicy.delay`), ``Retry-After`` capped at ``retry_after_max``, and 429
    repeated for every method, POST included (a throttled request was not carried out)."""

    def __init__(self, *args, **kwargs):
        self.policy = kwargs.pop("policy", None) or DEFAULT_POLICY
        super(JitterRetry, self).__init__(*args, **kwargs)

    def new(self, **kw):
        """Copy for the next try, keeping the policy."""
        kw.setdefault("policy", self.policy)
        return super(JitterRetry, self).new(**kw)

    def get_backoff_time(self):
        """Backoff before the next try: :meth:`RetryPolicy.delay` of the consecutive errors."""
        return self.policy.delay(len(self.history)) if self.history else 0

    def get_retry_after(self, response):
        """``Retry-After`` in seconds, capped at the policy's ``retry_after_max``."""
        seconds = super(JitterRetry, self).get_retry_after(response)
        return None if seconds is None else min(seconds, self.policy.retry_after_max)

    def is_retry(self, method, status_code, has_retry_after=False):
        """Whether an answer with ``status_code`` is tried again; a 429 always is."""
        if status_code == THROTTLED:
            return True
        return super(JitterRetry, self).is_retry(method, status_code, has_retry_after)


def _reason(exc):
    """The innermost reason of a ``requests`` connection error, without object reprs."""
    reason = exc
    for dummy in range(5):
        inner = getattr(reason, "reason", None)
        if inner is None and reason.args and isinstance(reason.args[0], Exception):
            inner = reason.args[0]
        if not isinstance(inner, Exception):
            break
        reason = inner
    text = re.sub(r"<[^>]*>:?\s*", "", str(reason))
    return re.sub(r"^\w*Connection(Pool)?\([^)]*\):\s*", "", text).strip() or type(exc).__name__


class NksClient(object):
    """A session against the NKS API v2 and the NHN Cloud identity API.

    Build it with :func:`client_from_options` (the defaults of every connection option
    live there). Retries follow ``policy`` (docs/reliability.md, "Retry budget"): reads,
    idempotent writes and the identity request on 429/5xx and lost answers; any request
    on 429; connection failures only briefly, so that a wrong URL fails within seconds.

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
    :param float timeout: seconds per HTTP request (read; the connect timeout is the
        policy's, at most this).
    :param dict sources: option name -> where it was set (``"option api_url"``,
        ``"environment variable NKS_API_URL"``), for error messages; never values.
    :param policy: the :class:`._retry.RetryPolicy` (default ``DEFAULT_POLICY``).
    :raises ValueError: when neither a token nor tenant/username/password is given, or
        on an unknown region.
    """

    def __init__(self, api_url=None, region=DEFAULT_REGION, identity_url=None, tenant_id=None,
                 username=None, api_password=None, auth_token=None, validate_certs=True,
                 timeout=DEFAULT_TIMEOUT, user_agent=None, sources=None, policy=None):
        if not HAS_REQUESTS:
            raise NksError("the python 'requests' library is required: %s" % REQUESTS_IMPORT_ERROR)
        self.sources = dict(sources or {})
        if not auth_token and not (tenant_id and username and api_password):
            missing = [o for o, v in (("tenant_id", tenant_id), ("username", username),
                                      ("api_password", api_password)) if not v]
            raise ValueError(
                "credentials are missing: give auth_token (NHN_CLOUD_AUTH_TOKEN), or tenant_id, username and"
                " api_password (NHN_CLOUD_TENANT_ID, NHN_CLOUD_USERNAME, NHN_CLOUD_API_PASSWORD);"
                " not set: %s" % ", ".join(missing))
        self.region = region
        self._api_url_given = bool(api_url)
        self.api_url = (api_url or region_endpoint(region)).rstrip("/")
        self.identity_url = (identity_url or IDENTITY_URL).rstrip("/")
        self.tenant_id = tenant_id
        self.username = username
        self._password = api_password
        self._token = auth_token
        self.token_expires = None
        self.timeout = timeout
        self.policy = policy or DEFAULT_POLICY
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
        return HTTPAdapter(max_retries=self.policy.urllib3_retry(methods, JitterRetry))

    # -- what to check, for messages ------------------------------------------

    def _from(self, option):
        """Where ``option`` was set, e.g. ``environment variable NKS_API_URL`` (never its value)."""
        return self.sources.get(option) or "%s or %s" % (option, ENV_OF[option])

    def _endpoint_hint(self, identity):
        """What sets the URL of the identity API (``identity``) or of the NKS API."""
        if identity:
            if "identity_url" in self.sources:
                return "check identity_url, set by %s" % self.sources["identity_url"]
            return "this is the default identity_url; set identity_url (NHN_CLOUD_IDENTITY_URL) for another"
        # With sources, api_url counts as given only when the user set it (the inventory
        # plugin passes each region's endpoint as api_url).
        if "api_url" in self.sources if self.sources else self._api_url_given:
            return "check api_url, set by %s" % self._from("api_url")
        return ("this is the endpoint of region %s (%s); check region, or set api_url (NKS_API_URL)"
                % (self.region, self.sources.get("region", "the default region")))

    def _credentials_hint(self):
        return ("Check tenant_id (%s), username (%s) and api_password (%s): api_password is the API password"
                " set in the NHN Cloud console, not the console login password, and the user must belong to"
                " the tenant." % (self._from("tenant_id"), self._from("username"), self._from("api_password")))

    def _token_hint(self, fresh):
        if fresh:
            return ("A token just issued for tenant_id (%s) and username (%s) was refused: check that the user"
                    " may use NKS in that project, and the endpoint (%s)."
                    % (self._from("tenant_id"), self._from("username"), self._endpoint_hint(False)))
        return ("The token given as auth_token (%s) was refused: it expired (tokens last about 12 hours) or"
                " was revoked. Obtain a new one (nhncloud.nks.nks_auth), or give tenant_id, username and"
                " api_password so that one is obtained when needed." % self._from("auth_token"))

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
        :raises NksAuthError: on rejected credentials (401), naming where each came from.
        :raises NksApiError, NksConnectionError: on other failures.
        """
        url = self.identity_url + "/v2.0/tokens"
        if not (self.tenant_id and self.username and self._password):
            raise NksAuthError(401, "the token was refused and no tenant_id/username/api_password"
                                    " were given to obtain a new one", method="POST", url=url,
                               hint=self._token_hint(False))
        body = {"auth": {"tenantId": self.tenant_id,
                         "passwordCredentials": {"username": self.username,
                                                 "password": self._password}}}
        self.identity_requests += 1
        try:
            data = self._send("POST", url, body, safe=True, auth=False)
        except NksAuthError as exc:
            raise exc.with_hint(self._credentials_hint())
        try:
            self._token = data["access"]["token"]["id"]
            self.token_expires = data["access"]["token"].get("expires")
        except (KeyError, TypeError):
            raise NksApiError(200, "the identity API answered without access.token.id",
                              method="POST", url=url)
        return self._token

    # -- requests ---------------------------------------------------------

    def request(self, method, path, body=None, safe=None):
        """Send one NKS API call and return its decoded JSON body.

        :param str method: ``GET``, ``POST``, ``PATCH`` or ``DELETE``.
        :param str path: path below the base URL, e.g. ``/v1/clusters``.
        :param dict body: JSON body, or ``None``.
        :param bool safe: may the call be repeated after a 5xx or a broken
            connection? Defaults to ``True`` for GET/DELETE and ``False`` for
            POST/PATCH: a create is never re-posted blindly (a 429 is: it was not
            carried out). Set it ``True`` for actions that set a state
            (autoscaler, IP ACL, user script).
        :returns: the decoded body (``dict``), or ``{}`` for an empty answer.
        :raises NksAuthError: 401 even after one re-authentication (with a hint).
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
        except NksAuthError as exc:
            if not (self.tenant_id and self.username and self._password):
                raise exc.with_hint(self._token_hint(False))
        self.authenticate()
        try:
            return self._send(method, url, body, safe=safe, auth=True)
        except NksAuthError as exc:
            raise exc.with_hint(self._token_hint(True))

    def get(self, path):
        """``GET`` ``path``; see :meth:`request`."""
        return self.request("GET", path)

    def _send(self, method, url, body, safe, auth):
        """Send one request; a safe one is sent again (the policy's backoff and budget) when
        its answer broke off after the headers: urllib3 retries only up to the status line,
        and a lost answer arrives as a broken body."""
        attempts = self.policy.start(_sleep)
        while True:
            try:
                return self._send_once(method, url, body, safe, auth)
            except NksConnectionError as exc:
                if not (safe and exc.broken_answer) or not attempts.pause(exc):
                    raise

    def _send_once(self, method, url, body, safe, auth):
        # The token first: obtaining it sends a (safe) request that mounts its own adapter.
        headers = {"X-Auth-Token": self.token} if auth else {}
        adapter = self._safe if safe else self._reads_only
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        started = time.monotonic()
        try:
            response = self.session.request(method, url, json=body, headers=headers,
                                            timeout=self.policy.timeouts(self.timeout))
        except requests.exceptions.ChunkedEncodingError as exc:
            error = NksConnectionError("%s %s: the answer broke off: %s" % (method, url, exc), method, url)
            error.broken_answer = True
            raise error
        except requests.exceptions.ReadTimeout as exc:
            raise NksConnectionError("%s %s: no answer within %s s (http_timeout, %s): %s"
                                     % (method, url, self.timeout, self._from("http_timeout"), _reason(exc)),
                                     method, url)
        except requests.exceptions.RequestException as exc:
            raise NksConnectionError(
                "%s %s: cannot connect to the %s (%s; %d tries in %.1f s): %s" % (
                    method, url, "NKS API" if auth else "NHN Cloud identity API", _reason(exc),
                    self.policy.connect_attempts, time.monotonic() - started, self._endpoint_hint(not auth)),
                method, url)
        if response.status_code >= 400:
            detail, request_id = _parse_error(response)
            cls = _ERROR_CLASSES.get(response.status_code, NksApiError)
            raise cls(response.status_code, detail, request_id, method, url,
                      retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise NksApiError(response.status_code, "the answer is not JSON: %s"
                              % response.text[:200], method=method, url=url)


def option_sources(given, environ):
    """Where each connection option that is set comes from, for error messages.

    :param dict given: the options as the user wrote them (task arguments and
        ``module_defaults``, before environment fallbacks); ``None`` = not given.
    :param dict environ: the environment (``os.environ``).
    :returns: ``dict`` option -> ``"option api_url"`` or ``"environment variable NKS_API_URL"``;
        options set by neither are left out (their default applies).
    """
    sources = {}
    for option, env in CONNECTION_ENV:
        if (given or {}).get(option) is not None:
            sources[option] = "option %s" % option
        elif environ.get(env):
            sources[option] = "environment variable %s" % env
    return sources


def client_from_options(options, sources=None, user_agent=None, policy=None):
    """Build the :class:`NksClient` of a module, ``nks_auth`` or the inventory plugin.

    The one place where the connection defaults apply: region :data:`DEFAULT_REGION`,
    identity :data:`IDENTITY_URL`, timeout :data:`DEFAULT_TIMEOUT`, certificates verified.

    :param dict options: the doc fragment ``nhncloud.nks.auth``'s options (``region``,
        ``api_url``, ``identity_url``, ``tenant_id``, ``username``, ``api_password``,
        ``auth_token``, ``validate_certs``, ``http_timeout``); ``None`` or absent = not set.
    :param dict sources: see :func:`option_sources`.
    :raises ValueError: missing credentials or an unknown region (message names options
        and environment variables, never values).
    """
    o = options
    validate = o.get("validate_certs")
    return NksClient(
        api_url=o.get("api_url"), region=o.get("region") or DEFAULT_REGION,
        identity_url=o.get("identity_url"), tenant_id=o.get("tenant_id"), username=o.get("username"),
        api_password=o.get("api_password"), auth_token=o.get("auth_token"),
        validate_certs=True if validate is None else validate,
        timeout=o.get("http_timeout") or DEFAULT_TIMEOUT, user_agent=user_agent, sources=sources,
        policy=policy)


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


def _sleep(seconds):
    """:func:`sleep`, looked up when called (tests replace it)."""
    sleep(seconds)
