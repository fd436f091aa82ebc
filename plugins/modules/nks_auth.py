#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: nks_auth
short_description: Obtain an NHN Cloud identity token once, for the other nhncloud.nks tasks of a play
version_added: 0.1.0
description:
  - Authenticates against the NHN Cloud identity API (C(POST /v2.0/tokens)) with O(tenant_id), O(username) and
    O(api_password), and returns the token in RV(auth_token).
  - Every other module of this collection accepts O(auth_token). Without it, each task obtains a token of its
    own, so a play of ten tasks sends ten identity requests. Obtain the token once with this module and pass it
    to the rest of the play with C(module_defaults) (see the examples); a play then sends one identity request
    per credential.
  - When the other tasks are given the token B(and) the password, a token that expires or is revoked during a
    long play is replaced once per task, transparently (a 401 answer triggers one new authentication).
  - The token is a secret. The action plugin of this module marks the result as C(no_log), so Ansible never
    prints it, even with C(-v), unless you print the registered variable yourself. Still set the task keyword C(no_log) to C(true), so that
    callbacks that ignore the mark do not see it either.
  - The module changes nothing and always reports C(changed=false); it also runs in check mode, so that the
    other tasks can predict their changes.
  - This module ignores O(auth_token) and always obtains a new token with O(tenant_id), O(username) and
    O(api_password). It is accepted so that C(module_defaults) for C(group/nhncloud.nks.all) that set it do
    not break this task.
author:
  - nhncloud.nks contributors (@nhncloud)
extends_documentation_fragment:
  - nhncloud.nks.auth
  - nhncloud.nks.attributes
  - nhncloud.nks.attributes.INFO
notes:
  - The token lasts about 12 hours on NHN Cloud (NKS_API_NOTES, an assumption taken from the documented
    example); RV(expires) tells when.
  - Changing the API password invalidates existing tokens.
seealso:
  - module: nhncloud.nks.nks_cluster
  - module: nhncloud.nks.nks_info
"""

EXAMPLES = r"""
- name: Build a cluster with one identity request
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/nhncloud.nks.all:
      tenant_id: "{{ vault_nhn_tenant_id }}"
      username: "{{ vault_nhn_username }}"
      api_password: "{{ vault_nhn_api_password }}"
      # Defined once the first task has run; until then the modules authenticate themselves.
      auth_token: "{{ nks_auth.auth_token | default(omit) }}"
  tasks:
    - name: Obtain a token for the whole play
      nhncloud.nks.nks_auth:
      register: nks_auth
      no_log: true

    - name: Every later task reuses it
      nhncloud.nks.nks_cluster:
        name: my-cluster
        kube_version: v1.28.3
        node_count: 1
        # ...

- name: Without module_defaults, pass it to each task
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Obtain a token
      nhncloud.nks.nks_auth:
        tenant_id: "{{ vault_nhn_tenant_id }}"
        username: "{{ vault_nhn_username }}"
        api_password: "{{ vault_nhn_api_password }}"
      register: token
      no_log: true

    - name: List the clusters with it
      nhncloud.nks.nks_info:
        auth_token: "{{ token.auth_token }}"
"""

RETURN = r"""
auth_token:
  description:
    - The identity token (C(access.token.id)), to send as O(auth_token) to the other modules.
    - A secret; never print it.
  returned: success
  type: str
  sample: gAAAAABhZ...
expires:
  description: When the token expires (C(access.token.expires)), UTC, C(YYYY-MM-DDThh:mm:ssZ), as the API gives it.
  returned: success
  type: str
  sample: "2026-11-22T01:00:00Z"
tenant_id:
  description: The tenant (project) ID the token was issued for.
  returned: success
  type: str
  sample: 0b3ab7d4ba0a44e3a3c3e2b4d1f0a7c9
"""

from ansible_collections.nhncloud.nks.plugins.module_utils._tasks.auth import NksAuthModule


def main():
    NksAuthModule.main()


if __name__ == "__main__":
    main()
