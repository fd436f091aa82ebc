# -*- coding: utf-8 -*-
# Copyright: (c) 2026, nhncloud.nks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ``nhncloud.nks.nks_auth`` does (its options are documented in ``plugins/modules/nks_auth.py``).

Run by that module's ``main()`` (:meth:`.._module.NksModule.main`) and by
:func:`.run_task` (``nks_fleet``), with a :class:`.._module.TaskContext`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .._module import NksModule
from .._client import ENV_OF
from .._validation import ValidationError


class NksAuthModule(NksModule):
    """``nks_auth``: one ``POST /v2.0/tokens``, the token returned."""

    name = "nks_auth"

    waits = False

    def run(self):
        """Authenticate with the password (the given ``auth_token`` is ignored).

        :returns: ``{"changed": False, "auth_token", "expires", "tenant_id"}``; the
            action plugin of the same name hides it from the output callbacks.
        :raises ValidationError: when tenant_id, username or api_password is missing.
        :raises NksAuthError: when the identity API refuses the credentials (401).
        """
        p = self.params
        needed = ("tenant_id", "username", "api_password")
        for option in needed:
            if not p[option]:
                raise ValidationError(option, "%s is required to obtain a token (or set %s)"
                                      % (option, ", ".join(ENV_OF[name] for name in needed)))
        client = self.client(auth_token=None)
        token = client.authenticate()
        return dict(changed=False, auth_token=token, expires=client.token_expires,
                    tenant_id=p["tenant_id"])
