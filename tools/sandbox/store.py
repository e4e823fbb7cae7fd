"""Seed loading, datasets and the mutable state (authorizations and their results).

Everything read-only after start-up (products, customers, datasets) is shared
without locking; authorization state changes and ledger writes happen under
one lock, ledger first, so the ledger order is the order of state changes and
a failed ledger write changes nothing.
"""

import hashlib
import hmac
import json
import os
import re
import threading
import time
import uuid

import genotypes
import synth

STATE_PENDING = "authorization_state_pending_dataset"
STATE_FULFILLABLE = "authorization_state_fulfillable"
STATE_RESULT = "authorization_state_result_available"
STATE_NOT_FULFILLABLE = "authorization_state_not_fulfillable"

SCOPES = ("address", "dataset", "email", "login", "name", "sex")  # schema order
ADDRESS_FIELDS = ("address1", "address2", "city", "country", "phone", "state", "zipcode")
PRODUCT_FIELDS = ("authorized_scopes", "email", "product_uuid", "redirect_uri", "snps_authorized",
                  "snps_authorized_any", "snps_min_required", "snps_min_required_any")
_SAFE_ID = re.compile(r"[A-Za-z0-9_.:\-]*")


class SeedError(Exception):
    pass


class Dataset:
    def __init__(self, dataset_uuid, client_uuid, build, records, source, layout):
        self.uuid = dataset_uuid
        self.client_uuid = client_uuid
        self.build = build
        self.reference_genome = genotypes.reference_genome_name(build)
        self.records = records            # [(snp_id, accession, location, alleles)]
        self.source = source
        self.layout = layout
        self._index = None
        self._lock = threading.Lock()

    @property
    def index(self):
        """snp_id -> position in records (built on first use)."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = {r[0]: i for i, r in enumerate(self.records)}
        return self._index

    @property
    def ids_need_escaping(self):
        v = getattr(self, "_esc", None)
        if v is None:
            v = self._esc = not all(_SAFE_ID.fullmatch(r[0]) for r in self.records)
        return v


class Authorization:
    def __init__(self, d, sequence_number, scopes_model):
        self.uuid = d["authorization_uuid"]
        self.product_uuid = d["product_uuid"]
        self.client_uuid = d["client_uuid"]
        self.dataset_uuid = d.get("dataset_uuid")
        self.create_timestamp = int(d.get("create_timestamp", time.time()))
        self.is_active = bool(d.get("is_active", True))
        self.order = d.get("order")
        self.sequence_number = sequence_number
        self.scopes = scopes_model
        self.report_files = []
        self.report_credentials = []
        self.processed = False
        self.state = STATE_FULFILLABLE if self.dataset_uuid else STATE_PENDING

    def model(self):
        m = {
            "authorization_uuid": self.uuid,
            "client_uuid": self.client_uuid,
            "create_timestamp": self.create_timestamp,
            "is_active": self.is_active,
        }
        if self.order:
            m["order"] = self.order
        m["product_uuid"] = self.product_uuid
        m["report_credentials"] = [dict(r) for r in self.report_credentials]
        m["report_files"] = [dict(r, file_location=dict(r["file_location"])) for r in self.report_files]
        m["scopes"] = json.loads(json.dumps(self.scopes))
        m["sequence_number"] = self.sequence_number
        m["state"] = self.state
        return m


class Store:
    def __init__(self, seed_path, data_dir, reference, state_dir, ledger, synthetic_snps=None):
        self.data_dir = data_dir
        self.ref = reference
        self.ledger = ledger
        self.reports_dir = os.path.join(state_dir, "reports")
        os.makedirs(self.reports_dir, exist_ok=True)
        self.lock = threading.RLock()
        self.products = {}          # uuid -> product record (model fields + name, api_key)
        self.product_names = {}     # name -> uuid
        self.customers = {}         # uuid -> customer record
        self.datasets = {}          # uuid -> Dataset
        self.authorizations = {}    # uuid -> Authorization
        self.sequence = []          # Authorizations by sequence_number
        self._parsed = {}           # (path, build) / ("synthetic", n, seed) -> (records, build, layout)
        try:
            with open(seed_path, encoding="utf-8") as f:
                seed = json.load(f)
        except (OSError, ValueError) as e:
            raise SeedError("cannot read seed %s: %s" % (seed_path, e))
        try:
            self._load(seed, synthetic_snps)
        except (KeyError, TypeError, ValueError) as e:
            raise SeedError("bad seed %s: %r" % (seed_path, e))

    # ---- loading -------------------------------------------------------------

    def _load(self, seed, synthetic_snps):
        for p in seed.get("products", []):
            self._add_product(p)
        for c in seed.get("customers", []):
            self._add_customer(c)
        for a in seed.get("authorizations", []):
            self._add_authorization(a)
        if synthetic_snps is not None:
            bench = seed.get("bench")
            if not bench:
                raise SeedError("--synthetic-snps needs a 'bench' section in the seed")
            self._add_product(bench["product"])
            customer = json.loads(json.dumps(bench["customer"]))
            for ds in customer.get("datasets", []):
                if "synthetic" in ds:
                    ds["synthetic"]["snps"] = synthetic_snps
            self._add_customer(customer)
            self._add_authorization(bench["authorization"])

    def _add_product(self, p):
        uid = p["product_uuid"]
        if uid in self.products:
            raise SeedError("duplicate product %s" % uid)
        snps = p.get("snps_authorized", [])
        if isinstance(snps, dict):
            snps = self.ref.snps_with_verification_prefix(snps["reference_snps_verification_prefix"])
        rec = {
            "name": p.get("name", uid),
            "api_key": p["api_key"],
            "authorized_scopes": list(p.get("authorized_scopes", [])),
            "product_uuid": uid,
            "snps_authorized": list(snps),
            "snps_authorized_any": bool(p.get("snps_authorized_any", False)),
            "snps_min_required": list(p.get("snps_min_required", [])),
            "snps_min_required_any": bool(p.get("snps_min_required_any", False)),
        }
        for opt in ("email", "redirect_uri"):
            if p.get(opt) is not None:
                rec[opt] = p[opt]
        rec["authorized_set"] = None if rec["snps_authorized_any"] else frozenset(rec["snps_authorized"])
        self.products[uid] = rec
        self.product_names[rec["name"]] = uid

    def _add_customer(self, c):
        uid = c["client_uuid"]
        if uid in self.customers:
            raise SeedError("duplicate customer %s" % uid)
        self.customers[uid] = c
        for ds in c.get("datasets", []):
            self._add_dataset(uid, ds)

    def _add_dataset(self, client_uuid, d):
        duid = d["dataset_uuid"]
        if duid in self.datasets:
            raise SeedError("duplicate dataset %s" % duid)
        if "synthetic" in d:
            n, seed = int(d["synthetic"]["snps"]), int(d["synthetic"]["seed"])
            key = ("synthetic", n, seed)
            if key not in self._parsed:
                rows = synth.generate(n, seed, self.ref)
                acc = genotypes.accession_table(self.ref.accession_by_name, 37)
                records, _ = genotypes.to_records(rows, acc)
                self._parsed[key] = (records, 37, "synthetic")
            source = "synthetic:%d:%d" % (n, seed)
        else:
            path = os.path.join(self.data_dir, d["file"])
            key = (path, d.get("build"))
            if key not in self._parsed:
                try:
                    parsed = genotypes.read_file(path)
                except (OSError, genotypes.GenotypeFileError) as e:
                    raise SeedError("dataset %s: %s" % (duid, e))
                build = d.get("build") or parsed.build or genotypes.detect_build(parsed.rows, self.ref.markers) or 37
                if build not in (36, 37):
                    raise SeedError("dataset %s: unsupported build %r" % (duid, build))
                acc = genotypes.accession_table(self.ref.accession_by_name, build)
                records, _ = genotypes.to_records(parsed.rows, acc)
                self._parsed[key] = (records, build, parsed.layout)
            source = d["file"]
        records, build, layout = self._parsed[key]
        self.datasets[duid] = Dataset(duid, client_uuid, build, records, source, layout)

    def _scopes_model(self, customer, granted, dataset_uuid):
        m = {}
        for scope in SCOPES:
            if scope not in granted:
                continue
            if scope == "dataset":
                m["dataset"] = dataset_uuid
            elif scope == "address":
                addr = customer.get("address", {})
                m["address"] = {k: addr[k] for k in ADDRESS_FIELDS if addr.get(k) is not None}
            elif scope == "name":
                name = customer.get("name", {})
                m["name"] = {"first_name": name.get("first_name", ""), "last_name": name.get("last_name", "")}
            elif scope == "login":
                m["login"] = customer.get("login") or customer["client_uuid"]
            else:
                m[scope] = customer.get(scope, "")
        return m

    def _add_authorization(self, a):
        a = dict(a)
        if "product" in a and "product_uuid" not in a:
            a["product_uuid"] = self.product_names[a["product"]]
        if a["product_uuid"] not in self.products:
            raise SeedError("authorization %s: unknown product" % a["authorization_uuid"])
        customer = self.customers.get(a["client_uuid"])
        if customer is None:
            raise SeedError("authorization %s: unknown customer" % a["authorization_uuid"])
        granted = set(a.get("scopes", []))
        unknown = granted - set(SCOPES)
        if unknown:
            raise SeedError("authorization %s: unknown scopes %s" % (a["authorization_uuid"], sorted(unknown)))
        if "dataset" in granted:
            ds = self.datasets.get(a.get("dataset_uuid"))
            if ds is None or ds.client_uuid != a["client_uuid"]:
                raise SeedError("authorization %s: dataset is not the customer's" % a["authorization_uuid"])
        else:
            a.pop("dataset_uuid", None)
        if a["authorization_uuid"] in self.authorizations:
            raise SeedError("duplicate authorization %s" % a["authorization_uuid"])
        seq = int(a.get("sequence_number", (self.sequence[-1].sequence_number + 1) if self.sequence else 1))
        auth = Authorization(a, seq, self._scopes_model(customer, granted, a.get("dataset_uuid")))
        self.authorizations[auth.uuid] = auth
        self.sequence.append(auth)
        self.sequence.sort(key=lambda x: x.sequence_number)

    # ---- queries ---------------------------------------------------------------

    def check_credentials(self, product_uuid, api_key):
        p = self.products.get(product_uuid)
        if p is None:
            hmac.compare_digest(api_key.encode(), api_key.encode())  # similar timing either way
            return None
        if not hmac.compare_digest(api_key.encode("utf-8"), p["api_key"].encode("utf-8")):
            return None
        return p

    @staticmethod
    def product_model(p):
        return {k: p[k] for k in PRODUCT_FIELDS if k in p}

    def queue(self, product_uuid, seq_start):
        with self.lock:
            return [a.model() for a in self.sequence
                    if a.product_uuid == product_uuid and not a.processed
                    and (seq_start is None or a.sequence_number >= seq_start)]

    def authorization_model(self, auth):
        with self.lock:
            return auth.model()

    def has_active_authorization(self, product_uuid, client_uuid, dataset_uuid):
        with self.lock:
            return any(a.product_uuid == product_uuid and a.client_uuid == client_uuid
                       and a.dataset_uuid == dataset_uuid and a.is_active
                       for a in self.sequence)

    # ---- results (ledger first, then state) -----------------------------------

    def _ledger_base(self, auth, kind):
        return {"time": round(time.time(), 3), "type": kind, "product_uuid": auth.product_uuid,
                "authorization_uuid": auth.uuid, "sequence_number": auth.sequence_number,
                "client_uuid": auth.client_uuid}

    def add_file(self, auth, filename_original, data):
        rf_uuid = str(uuid.uuid4())
        path = os.path.join(self.reports_dir, rf_uuid)
        with open(path, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        entry = self._ledger_base(auth, "file")
        entry.update({"filename": filename_original, "bytes": len(data),
                      "sha256": hashlib.sha256(data).hexdigest(), "path": path})
        report = {"authorization_uuid": auth.uuid, "create_timestamp": int(time.time()),
                  "file_location": {"filename_original": filename_original, "host": "sandbox", "path": path},
                  "report_file_uuid": rf_uuid}
        with self.lock:
            self.ledger.append(entry)
            auth.report_files.append(report)
            auth.processed = True
            auth.state = STATE_RESULT
            return dict(report, file_location=dict(report["file_location"]))

    def add_credentials(self, auth, username, password, url):
        entry = self._ledger_base(auth, "credentials")
        entry.update({"credentials_username": username, "credentials_password": password, "report_url": url})
        report = {"authorization_uuid": auth.uuid}
        if password is not None:
            report["client_password"] = password
        if username is not None:
            report["client_username"] = username
        report["create_timestamp"] = int(time.time())
        report["report_credentials_uuid"] = str(uuid.uuid4())
        if url is not None:
            report["report_url"] = url
        with self.lock:
            self.ledger.append(entry)
            auth.report_credentials.append(report)
            auth.processed = True
            auth.state = STATE_RESULT
            return dict(report)

    def mark_done(self, auth):
        with self.lock:
            self.ledger.append(self._ledger_base(auth, "done"))
            auth.processed = True
            auth.state = STATE_RESULT

    def mark_unfulfillable(self, auth):
        with self.lock:
            self.ledger.append(self._ledger_base(auth, "unfulfillable"))
            auth.processed = True
            auth.state = STATE_NOT_FULFILLABLE
            return auth.model()
