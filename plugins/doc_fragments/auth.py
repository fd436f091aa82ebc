# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Connection options shared by every nhncloud.nks module."""

    DOCUMENTATION = r"""
options:
  region:
    description:
      - NHN Cloud region whose NKS endpoint is used, C(kr1) (Pangyo), C(kr2) (Pyeongchon) or C(kr3) (Gwangju).
      - Case does not matter (C(KR1), as the NHN Cloud console writes it, is C(kr1)); any other value is refused
        before any request.
      - Ignored when O(api_url) is set.
      - If not set, the environment variable E(NHN_CLOUD_REGION) is used; if that is not set either, C(kr1).
    type: str
  api_url:
    description:
      - Base URL of the NKS API, without C(/v1). Overrides O(region).
      - Set it to the URL of the bundled simulator (for example V(http://127.0.0.1:8787)) to run offline.
      - If not set, the environment variable E(NKS_API_URL) is used.
    type: str
  identity_url:
    description:
      - Base URL of the NHN Cloud identity API; tokens are requested from C({identity_url}/v2.0/tokens).
      - If not set, the environment variable E(NHN_CLOUD_IDENTITY_URL) is used, then
        V(https://api-identity-infrastructure.nhncloudservice.com).
    type: str
  tenant_id:
    description:
      - Tenant (project) ID used to obtain a token.
      - If not set, the environment variable E(NHN_CLOUD_TENANT_ID) is used.
    type: str
  username:
    description:
      - NHN Cloud ID (e-mail address) or IAM member ID used to obtain a token.
      - If not set, the environment variable E(NHN_CLOUD_USERNAME) is used.
    type: str
  api_password:
    description:
      - The API password set in the NHN Cloud console (not the console login password).
      - If not set, the environment variable E(NHN_CLOUD_API_PASSWORD) is used.
      - With O(auth_token) as well, it is used to obtain a new token once when the given one is refused.
      - When the identity API refuses the credentials, the error names where O(tenant_id), O(username) and
        O(api_password) came from (option or environment variable), never their values.
    type: str
  auth_token:
    description:
      - An identity token to use instead of O(tenant_id), O(username) and O(api_password).
      - If not set, the environment variable E(NHN_CLOUD_AUTH_TOKEN) is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificates of the API endpoints.
      - If not set, the environment variable E(NHN_CLOUD_VALIDATE_CERTS) is used; if that is not set either, V(true).
    type: bool
  http_timeout:
    description:
      - Seconds to wait for an answer to one HTTP request.
      - Establishing a connection waits at most 2 seconds (or O(http_timeout) if shorter) and is tried 3 times, so
        that a wrong or unreachable endpoint fails within seconds, naming the URL and the option or environment
        variable that set it. Answers HTTP 429 and 5xx are retried up to 10 attempts with jittered backoff,
        honouring C(Retry-After) (at most 30 seconds).
      - If not set, the environment variable E(NHN_CLOUD_HTTP_TIMEOUT) is used; if that is not set either, V(30).
    type: float
requirements:
  - python >= 3.9
  - requests >= 2.28
"""
