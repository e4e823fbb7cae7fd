"""Admin endpoints under /_sandbox/ (only with --admin; no JWT):

  GET    /_sandbox/datasets/{dataset_uuid}  every SNP of a dataset as ClientSNP (X-Fields honoured)
  GET    /_sandbox/ledger                   the ledger entries as a JSON list
  GET    /_sandbox/faults                   pending faults
  POST   /_sandbox/faults                   install fault(s): a JSON object or a list (see faults.py)
  DELETE /_sandbox/faults                   clear pending faults
"""

import json

import api as api_mod
import faults as faults_mod
import masks


class Admin:
    def __init__(self, store, faults, cache):
        self.store, self.faults, self.cache = store, faults, cache

    def handle(self, method, segments, headers, body):
        """Reply for /_sandbox/<segments>; 404/405 replies for anything else."""
        if len(segments) == 2 and segments[0] == "datasets" and segments[1]:
            if method not in ("GET", "HEAD"):
                return self._405("GET")
            return self._dataset(segments[1], headers)
        if segments == ["ledger"]:
            if method not in ("GET", "HEAD"):
                return self._405("GET")
            return api_mod.Reply(200, api_mod.json_bytes(self.store.ledger.entries()))
        if segments == ["faults"]:
            if method in ("GET", "HEAD"):
                return api_mod.Reply(200, api_mod.json_bytes(self.faults.pending()))
            if method == "DELETE":
                return api_mod.Reply(200, api_mod.json_bytes({"cleared": self.faults.clear()}))
            if method == "POST":
                try:
                    spec = json.loads(body.decode("utf-8"))
                    pending = self.faults.install(spec)
                except (ValueError, UnicodeDecodeError, RecursionError):
                    return api_mod.error_reply(400, "body must be a JSON fault object or list")
                except faults_mod.FaultError as e:
                    return api_mod.error_reply(400, str(e))
                return api_mod.Reply(201, api_mod.json_bytes(pending))
            return self._405("GET, POST, DELETE")
        return api_mod.error_reply(404, api_mod.MSG_NOT_FOUND)

    @staticmethod
    def _405(allow):
        return api_mod.error_reply(405, "The method is not allowed for the requested URL.", [("Allow", allow)])

    def _dataset(self, dataset_uuid, headers):
        ds = self.store.datasets.get(dataset_uuid)
        if ds is None:
            return api_mod.error_reply(404, "Dataset %s does not exist" % dataset_uuid)
        values = headers.get_all("X-Fields") or []
        try:
            mask = masks.parse(values[0] if values else None)
            body = self.cache.get(("admin", ds.uuid, masks.canonical(mask)),
                                  lambda: api_mod.snp_list_body(ds, ds.records, mask))
        except masks.MaskError as e:
            return api_mod.error_reply(400, "Mask parse error: %s" % e)
        return api_mod.Reply(200, body)
