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

import json
import os
import random
import re
import time

from ._retry import DEFAULT_POLICY, THROTTLED, retry_after_seconds

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import HTTPError as Urllib3Error
    from urllib3.exceptions import MaxRetryError, ReadTimeoutError
    from urllib3.util.retry import Retry

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised only without requests
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc
    HTTPAdapter = object

    class Urllib3Error(Exception):
        """Stand-in so this module imports without urllib3."""

    ReadTimeoutError = MaxRetryError = Urllib3Error

    class Retry(object):
        """Stand-in so this module imports without urllib3."""

        def __init__(self, *args, **kwargs):
            pass


IDENTITY_URL = "https://api-identity-infrastructure.nhncloudservice.com"
"""Identity endpoint for every region (NKS_API_NOTES: Authentication)."""

REGIONS = ("kr1", "kr2", "kr3")
"""NHN Cloud regions with an NKS endpoint (the ``choices`` of ``region``). The console writes them in
upper case (``KR1``): :func:`normalize_region` accepts either."""
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


def environment_value(name, environ=None):
    """The value of a connection option's environment variable: the one reading of
    :data:`CONNECTION_ENV`'s variables, used by every module's argument spec
    (:func:`._module.environ_fallback`), the action plugins and the inventory plugin.

    :param str name: a connection option (``tenant_id``) or its variable (``NHN_CLOUD_TENANT_ID``).
    :param dict environ: variable name -> value; ``None``: ``os.environ`` now.
    :returns: the value (str), or ``None`` when the variable is unset or empty.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_OF.get(name, name))
    return value if value else None


# Methods urllib3 may repeat on its own: reads and idempotent writes.
IDEMPOTENT_METHODS = frozenset(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])


def normalize_region(value):
    """A region as the API spells it: ``KR1`` (the console's spelling) or `` kr1 `` -> ``kr1``.

    Used as the ``type`` of the ``region`` option (before its ``choices`` are checked) and by
    :func:`region_endpoint`. ``None`` stays ``None``; an unknown region is returned lower-cased
    (the ``choices`` check then names it).
    """
    if value is None:
        return None
    return str(value).strip().lower()


def region_endpoint(region):
    """Return the NKS endpoint of a region.

    :param str region: ``kr1``, ``kr2`` or ``kr3``.
    :returns: the base URL, e.g. ``https://kr1-api-kubernetes-infrastructure.nhncloudservice.com``.
    :raises ValueError: on an unknown region.
    """
    region = normalize_region(region)
    if region not in REGIONS:
        raise ValueError("region must be one of %s, got %r" % (", ".join(REGIONS), shorten(region, 40)))
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


# -- the shapes of answers (what the guide documents) -------------------------------------


def shorten(value, limit=120):
    """``value`` as text, cut to ``limit`` characters (``...`` and the full length appended):
    for echoing names and answers in messages without flooding them."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return text
    return "%s... (%d characters)" % (text[:limit], len(text))


_LONG_WORD = re.compile(r"\S{%d,}" % 201)


def shorten_words(text, limit=120):
    """``text`` with every run of more than 200 non-blank characters (a name of thousands of
    characters, an answer echoed whole) cut by :func:`shorten` to ``limit`` characters."""
    return _LONG_WORD.sub(lambda match: shorten(match.group(0), limit), text)


_TYPE_WORDS = {str: "text", int: "a number", float: "a number", bool: "true/false", dict: "an object",
               list: "a list"}


class Shape(object):
    """The shape the guide documents for an answer (or a part of one).

    Build shapes with :func:`an_object`, :func:`a_list_of` and :func:`a_value`; give one to
    :meth:`NksClient.request` (``expect=``) and the answer is checked before it is returned.
    An answer of another shape raises :class:`NksMalformedAnswer` (retried like a 5xx).

    :ivar str text: what is expected, in words (for messages).
    """

    def __init__(self, check, text):
        self._check = check
        self.text = text

    def problem(self, value, where="the answer"):
        """``None`` when ``value`` has this shape, else what is wrong (``where`` names the part)."""
        return self._check(value, where)

    def __str__(self):
        return self.text


def a_value(kind):
    """A JSON value of Python type ``kind`` (``str``, ``int``, ``dict``, ``list``, ``bool``); a
    number accepts ``int`` and ``float`` (never ``bool``)."""
    kinds = (int, float) if kind in (int, float) else (kind,)

    def check(value, where):
        if isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
            return None
        return "%s is %s, not %s" % (where, _describe_value(value), _TYPE_WORDS.get(kind, kind.__name__))
    return Shape(check, _TYPE_WORDS.get(kind, kind.__name__))


def _as_shape(spec):
    return spec if isinstance(spec, Shape) else a_value(spec)


def an_object(**fields):
    """A JSON object holding at least ``fields`` (name -> :class:`Shape` or Python type); other
    keys are allowed (the API adds fields over time).

    Example: ``an_object(clusters=a_list_of(an_object(uuid=str, name=str, status=str)))``.
    """
    shapes = dict((name, _as_shape(spec)) for name, spec in fields.items())

    def check(value, where):
        if not isinstance(value, dict):
            return "%s is %s, not an object" % (where, _describe_value(value))
        for name in sorted(shapes):
            if name not in value:
                return "%s has no %s" % (where, name)
            problem = shapes[name].problem(value[name], "%s.%s" % (where, name))
            if problem:
                return problem
        return None
    if not shapes:
        return Shape(check, "an object")
    return Shape(check, "an object with %s" % ", ".join(
        "%s (%s)" % (name, shapes[name].text) for name in sorted(shapes)))


def a_list_of(item):
    """A JSON array whose every element has the shape ``item`` (:class:`Shape` or Python type)."""
    item = _as_shape(item)

    def check(value, where):
        if not isinstance(value, list):
            return "%s is %s, not a list" % (where, _describe_value(value))
        for index, element in enumerate(value):
            problem = item.problem(element, "%s[%d]" % (where, index))
            if problem:
                return problem
        return None
    return Shape(check, "a list of %s" % item.text)


def _describe_value(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    for kind in (dict, list, str):
        if isinstance(value, kind):
            return _TYPE_WORDS[kind]
    return "a number" if isinstance(value, (int, float)) else type(value).__name__


class NksMalformedAnswer(NksConnectionError):
    """The API answered (usually 200) with something that is not the answer the guide documents:
    an empty body, ``null``, an array where an object belongs, a field missing, truncated JSON,
    HTML. Treated like a lost answer (transient): a safe request is sent again within the retry
    budget; the engine looks the resource up before trying a create again.

    :ivar str got: what came back (shortened). :ivar str expected: the shape expected.
    """

    broken_answer = True

    def __init__(self, method, url, status, got, expected, problem=None, tries=1):
        self.status = status
        self.got = got
        self.expected = expected
        message = "%s %s: the answer (HTTP %s) is not what the NKS API guide documents%s: got %s; expected %s" % (
            method, url, status, " (%s)" % problem if problem else "", got, expected)
        if tries > 1:
            message += " (%d tries)" % tries
        super(NksMalformedAnswer, self).__init__(message, method, url)


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


def _parse_error(response, content=None):
    """Extract ``(detail, request_id)`` from an error response.

    Understands the Magnum body ``{"errors": [{"detail", "request_id"}]}`` and
    the Keystone body ``{"error": {"message"}}``; falls back to the raw text.
    ``content`` is the body as read (bytes); default ``response.content``.
    """
    request_id = (
        response.headers.get("X-OpenStack-Request-Id")
        or response.headers.get("X-Compute-Request-Id")
        or response.headers.get("X-Request-Id")
    )
    detail = None
    text = _text(response, content)
    try:
        body = json.loads(text)
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
        detail = (text or response.reason or "").strip()[:500] or "no detail"
    return detail, request_id


def _text(response, content=None):
    """The body of ``response`` as text (``content``: the bytes already read)."""
    if content is None:
        return response.text
    try:
        return content.decode(response.encoding or "utf-8", "replace")
    except LookupError:
        return content.decode("utf-8", "replace")


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

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        """As urllib3's, except that a read timeout is not tried again here: the server took the
        request and stayed silent for the whole read timeout, so a new try would cost as long
        again (a silent endpoint failed the inventory after 3 x 30 s). The caller decides
        (waits poll again; see docs/reliability.md, "Malformed and slow answers")."""
        if isinstance(error, ReadTimeoutError):
            raise MaxRetryError(_pool, url, error)
        return super(JitterRetry, self).increment(method, url, response, error, _pool, _stacktrace)

    def is_retry(self, method, status_code, has_retry_after=False):
        """Whether an answer with ``status_code`` is tried again; a 429 always is."""
        if status_code == THROTTLED:
            return True
        return super(JitterRetry, self).is_retry(method, status_code, has_retry_after)


def _is_read_timeout(exc):
    """``True`` when a ``requests`` error is (or wraps) a read timeout."""
    reason = exc
    for dummy in range(6):
        if isinstance(reason, (ReadTimeoutError, requests.exceptions.ReadTimeout)):
            return True
        inner = getattr(reason, "reason", None)
        if inner is None and getattr(reason, "args", None) and isinstance(reason.args[0], Exception):
            inner = reason.args[0]
        if not isinstance(inner, Exception):
            return False
        reason = inner
    return False


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
    :ivar float deadline: ``time.monotonic()`` by which a wait must end, or ``None``: while set
        (:meth:`until`), each request's read timeout and the time to read its answer are capped
        by the time left (at least :data:`MIN_READ_SECONDS`), so that a slow or drip-fed answer
        cannot hold a wait past ``wait_timeout``.
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
        self.region = normalize_region(region) or DEFAULT_REGION
        if self.region not in REGIONS:
            raise ValueError("region must be one of %s (in any case, e.g. KR1), got %r"
                             % (", ".join(REGIONS), shorten(region, 40)))
        self._api_url_given = bool(api_url)
        self.api_url = (api_url or region_endpoint(region)).rstrip("/")
        self.identity_url = (identity_url or IDENTITY_URL).rstrip("/")
        self.tenant_id = tenant_id
        self.username = username
        self._password = api_password
        self._token = auth_token
        self.token_expires = None
        self.timeout = timeout
        self.deadline = None
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

    def until(self, deadline):
        """Context manager: requests sent inside it end by ``deadline`` (``time.monotonic()``;
        ``None``: no deadline); see :attr:`deadline`. Nested deadlines keep the earlier one."""
        return _Deadline(self, deadline)

    def request(self, method, path, body=None, safe=None, expect=None):
        """Send one NKS API call and return its decoded JSON body.

        :param str method: ``GET``, ``POST``, ``PATCH`` or ``DELETE``.
        :param str path: path below the base URL, e.g. ``/v1/clusters``.
        :param dict body: JSON body, or ``None``.
        :param bool safe: may the call be repeated after a 5xx or a broken
            connection? Defaults to ``True`` for GET/DELETE and ``False`` for
            POST/PATCH: a create is never re-posted blindly (a 429 is: it was not
            carried out). Set it ``True`` for actions that set a state
            (autoscaler, IP ACL, user script).
        :param Shape expect: the answer's shape as the guide documents it (:func:`an_object`,
            :func:`a_list_of`); ``None``: any JSON or an empty body. An answer of another shape
            (empty, ``null``, an array for an object, a missing field, not JSON) raises
            :class:`NksMalformedAnswer`, after the retries when the call is ``safe``.
        :returns: the decoded body (``dict``), or ``{}`` for an empty answer (without ``expect``).
        :raises NksAuthError: 401 even after one re-authentication (with a hint).
        :raises NksNotFound: 404. :raises NksConflict: 409.
        :raises NksApiError: any other HTTP error.
        :raises NksConnectionError: no answer after the retries (:class:`NksMalformedAnswer`:
            an answer of the wrong shape).
        """
        if safe is None:
            safe = method.upper() in IDEMPOTENT_METHODS
        url = self.api_url + path
        if not self._token:
            self.authenticate()  # outside the retry below: a refused password is not sent twice
        try:
            return self._send(method, url, body, safe=safe, auth=True, expect=expect)
        except NksAuthError as exc:
            if not (self.tenant_id and self.username and self._password):
                raise exc.with_hint(self._token_hint(False))
        self.authenticate()
        try:
            return self._send(method, url, body, safe=safe, auth=True, expect=expect)
        except NksAuthError as exc:
            raise exc.with_hint(self._token_hint(True))

    def get(self, path, expect=None):
        """``GET`` ``path``; see :meth:`request`."""
        return self.request("GET", path, expect=expect)

    def _send(self, method, url, body, safe, auth, expect=None):
        """Send one request; a safe one is sent again (the policy's backoff and budget) when
        its answer broke off after the headers: urllib3 retries only up to the status line,
        and a lost answer arrives as a broken body."""
        attempts = self.policy.start(_sleep)
        while True:
            try:
                return self._send_once(method, url, body, safe, auth, expect)
            except NksConnectionError as exc:
                if not (safe and exc.broken_answer) or self._past_deadline() or not attempts.pause(exc):
                    raise

    def _past_deadline(self):
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _read_seconds(self):
        """The read timeout of the next request (s): ``timeout``, capped by the deadline."""
        if self.deadline is None:
            return self.timeout
        return max(MIN_READ_SECONDS, min(self.timeout, self.deadline - time.monotonic()))

    def _send_once(self, method, url, body, safe, auth, expect=None):
        # The token first: obtaining it sends a (safe) request that mounts its own adapter.
        headers = {"X-Auth-Token": self.token} if auth else {}
        adapter = self._safe if safe else self._reads_only
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        started = time.monotonic()
        seconds = self._read_seconds()
        try:
            response = self.session.request(method, url, json=body, headers=headers, stream=True,
                                            timeout=self.policy.timeouts(seconds))
        except requests.exceptions.ChunkedEncodingError as exc:
            error = NksConnectionError("%s %s: the answer broke off: %s" % (method, url, exc), method, url)
            error.broken_answer = True
            raise error
        except requests.exceptions.RequestException as exc:
            if _is_read_timeout(exc):
                raise self._read_timeout(method, url, seconds, exc)
            raise NksConnectionError(
                "%s %s: cannot connect to the %s (%s; %d tries in %.1f s): %s" % (
                    method, url, "NKS API" if auth else "NHN Cloud identity API", _reason(exc),
                    self.policy.connect_attempts, time.monotonic() - started, self._endpoint_hint(not auth)),
                method, url)
        content = self._read_body(response, method, url, seconds, started)
        if response.status_code >= 400:
            detail, request_id = _parse_error(response, content)
            cls = _ERROR_CLASSES.get(response.status_code, NksApiError)
            raise cls(response.status_code, detail, request_id, method, url,
                      retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        if not content:
            if expect is None:
                return {}
            raise NksMalformedAnswer(method, url, response.status_code, "an empty body", expect.text)
        text = _text(response, content)
        try:
            data = json.loads(text)
        except ValueError:
            raise NksMalformedAnswer(method, url, response.status_code, "%s (not JSON)" % shorten(text, 200),
                                     expect.text if expect is not None else "JSON")
        if expect is not None:
            problem = expect.problem(data)
            if problem:
                raise NksMalformedAnswer(method, url, response.status_code, shorten(text, 200), expect.text,
                                         problem)
        return data

    def _read_timeout(self, method, url, seconds, exc):
        """The :class:`NksConnectionError` of a read timeout: it says so, and which limit applied."""
        if self.deadline is not None and seconds < self.timeout:
            limit = "the time left of wait_timeout"
        else:
            limit = "http_timeout, %s" % self._from("http_timeout")
        return NksConnectionError("%s %s: read timeout: the server took the request but sent no answer within"
                                  " %.1f s (%s): %s" % (method, url, seconds, limit, _reason(exc)), method, url)

    def _read_body(self, response, method, url, seconds, started):
        """Read the whole body within ``seconds`` of reading (a drip-fed answer does not hold the
        caller longer than that), then hand the connection back to the pool.

        :raises NksConnectionError: read timeout or too slow (not ``broken_answer``), or the answer
            broke off (``broken_answer``: a safe request is sent again).
        """
        raw = response.raw
        read1 = getattr(raw, "read1", None)
        begun = time.monotonic()
        chunks = []
        try:
            if read1 is None:  # pragma: no cover - urllib3 < 2: each read is bounded, not the total
                return response.content
            while True:
                chunk = read1(65536, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                if time.monotonic() - begun > seconds:
                    response.close()
                    raise NksConnectionError(
                        "%s %s: read timeout: the answer was still arriving after %.1f s (a trickle of %d bytes);"
                        " stopped reading" % (method, url, time.monotonic() - started, sum(map(len, chunks))),
                        method, url)
        except ReadTimeoutError as exc:
            response.close()
            raise self._read_timeout(method, url, seconds, exc)
        except (Urllib3Error, requests.exceptions.RequestException, OSError) as exc:
            response.close()
            error = NksConnectionError("%s %s: the answer broke off: %s" % (method, url, _reason(exc)), method, url)
            error.broken_answer = True
            raise error
        release = getattr(raw, "release_conn", None)
        if release is not None:
            release()
        return b"".join(chunks)


MIN_READ_SECONDS = 1.0
"""Shortest read timeout (s) a deadline leaves a request (:attr:`NksClient.deadline`)."""


class _Deadline(object):
    """:meth:`NksClient.until`: sets :attr:`NksClient.deadline` for the ``with`` block."""

    def __init__(self, client, deadline):
        self.client = client
        self.deadline = deadline
        self.saved = None

    def __enter__(self):
        self.saved = self.client.deadline
        if self.deadline is not None and (self.saved is None or self.deadline < self.saved):
            self.client.deadline = self.deadline
        return self.client

    def __exit__(self, *exc_info):
        self.client.deadline = self.saved
        return False


def option_sources(given, environ):
    """Where each connection option that is set comes from, for error messages.

    :param dict given: the options as the user wrote them (task arguments and
        ``module_defaults``, before environment fallbacks); ``None`` = not given.
    :param dict environ: the environment (``None``: ``os.environ``).
    :returns: ``dict`` option -> ``"option api_url"`` or ``"environment variable NKS_API_URL"``;
        options set by neither are left out (their default applies).
    """
    sources = {}
    for option, env in CONNECTION_ENV:
        if (given or {}).get(option) is not None:
            sources[option] = "option %s" % option
        elif environment_value(env, environ) is not None:
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
        api_url=o.get("api_url"), region=normalize_region(o.get("region")) or DEFAULT_REGION,
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
