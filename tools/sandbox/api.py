"""The 17 operations of the Lumminary API v1, with its 401/404 rules.

Transport-free: the server hands in a Request (operation name, decoded path
parameters, query, headers, body bytes) and sends back the Reply.  Order of
checks in every authenticated operation: token (401), then the path objects'
existence (404), then ownership / authorization (401), then the X-Fields mask
and the body (400), then the operation.
"""

import collections
import json
import re
import threading

import forms
import genotypes
import masks
import reference as reference_mod
import tokens

MSG_NOT_FOUND = ("The requested URL was not found on the server. If you entered the URL manually "
                 "please check your spelling and try again.")
_INT = re.compile(r"-?[0-9]{1,18}")


class ApiError(Exception):
    def __init__(self, status, message, headers=()):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, list(headers)


class Request:
    def __init__(self, method, operation, params, query, headers, body):
        self.method = method
        self.operation = operation
        self.params = params      # path parameters, percent-decoded
        self.query = query        # name -> [values]
        self.headers = headers    # email.message.Message (case-insensitive)
        self.body = body


class Reply:
    def __init__(self, status, body=b"", headers=()):
        self.status, self.body, self.headers = status, body, list(headers)


def json_bytes(obj):
    # flask-restplus style: json.dumps defaults (", " and ": ", ASCII) plus a newline
    return (json.dumps(obj) + "\n").encode("ascii")


def error_reply(status, message, headers=()):
    return Reply(status, json_bytes({"message": message}), headers)


class BodyCache:
    """LRU of serialised bodies, bounded by total bytes; one builder per key."""

    def __init__(self, budget=768 << 20):
        self.budget = budget
        self._items = collections.OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._building = {}

    def get(self, key, build):
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
                return body
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:
            try:
                with self._lock:
                    body = self._items.get(key)
                    if body is not None:
                        return body
                body = build()
                with self._lock:
                    self._items[key] = body
                    self._size += len(body)
                    while self._size > self.budget and len(self._items) > 1:
                        _, old = self._items.popitem(last=False)
                        self._size -= len(old)
            finally:
                with self._lock:
                    self._building.pop(key, None)
        return body


_alleles_json = {}


def _alleles(t):
    s = _alleles_json.get(t)
    if s is None:
        s = json.dumps(list(t))
        if len(_alleles_json) < 4096:
            _alleles_json[t] = s
    return s


def snp_list_body(dataset, records, mask):
    """JSON body of a ClientSNP list; the unmasked case is formatted directly
    (byte-identical to json_bytes of the models, about 5x faster)."""
    rg = dataset.reference_genome
    if mask is None and not dataset.ids_need_escaping:
        fmt = ('{"chromosome_accession": "%s", "genotyped_alleles": %s, "location": %d, '
               '"phased": false, "reference_genome": ' + json.dumps(rg) + ', "snp_id": "%s"}')
        al = _alleles
        text = "[" + ", ".join([fmt % (r[1], al(r[3]), r[2], r[0]) for r in records]) + "]\n"
        return text.encode("ascii")
    return json_bytes(masks.apply(mask, [genotypes.client_snp(r, rg) for r in records]))


class Api:
    def __init__(self, store, ref, token_issuer, cache=None):
        self.store = store
        self.ref = ref
        self.tokens = token_issuer
        self.cache = cache or BodyCache()
        self.operations = {
            "post_jwt_auth": self.post_jwt_auth,
            "get_product": self.get_product,
            "get_authorizations_queue": self.get_authorizations_queue,
            "get_product_authorization": self.get_product_authorization,
            "post_product_authorization": self.post_product_authorization,
            "post_product_authorization_unfulfillable": self.post_product_authorization_unfulfillable,
            "post_authorization_result_file": self.post_authorization_result_file,
            "post_authorization_result_credentials": self.post_authorization_result_credentials,
            "get_client_snp": self.get_client_snp,
            "get_client_snp_group": self.get_client_snp_group,
            "post_client_snp_group": self.post_client_snp_group,
            "get_client_gene": self.get_client_gene,
            "get_gene": self.get_gene,
            "get_reference_snp": self.get_reference_snp,
            "get_reference_genomes_group": self.get_reference_genomes_group,
            "get_reference_genome": self.get_reference_genome,
            "get_reference_chromosome": self.get_reference_chromosome,
        }

    def handle(self, req):
        try:
            return self.operations[req.operation](req)
        except ApiError as e:
            return error_reply(e.status, e.message, e.headers)

    # ---- helpers -----------------------------------------------------------------

    def authenticate(self, req):
        values = req.headers.get_all("Authorization") or []
        if not values:
            raise ApiError(401, "Missing Authorization Header")
        if len(values) > 1:
            raise ApiError(401, "More than one Authorization header")
        m = re.fullmatch(r"([A-Za-z]+) +(\S+)", values[0].strip())
        if not m or m.group(1).lower() != "bearer":
            raise ApiError(401, "Bad Authorization header. Expected value 'Bearer <JWT>'")
        try:
            claims = self.tokens.verify(m.group(2))
        except tokens.TokenError as e:
            raise ApiError(401, str(e))
        if claims["role"] != "role_product":
            raise ApiError(401, "Token role is not role_product")
        product = self.store.products.get(claims["sub"])
        if product is None:
            raise ApiError(401, "Token subject is not a product")
        return product

    @staticmethod
    def mask_of(req):
        values = req.headers.get_all("X-Fields") or []
        if len(values) > 1:
            raise ApiError(400, "More than one X-Fields header")
        try:
            return masks.parse(values[0] if values else None)
        except masks.MaskError as e:
            raise ApiError(400, "Mask parse error: %s" % e)

    @staticmethod
    def model_reply(obj, mask, status=200):
        try:
            return Reply(status, json_bytes(masks.apply(mask, obj)))
        except masks.MaskError as e:
            raise ApiError(400, str(e))

    @staticmethod
    def form_of(req, empty_ok=False):
        ctypes = req.headers.get_all("Content-Type") or []
        if len(ctypes) > 1:
            raise ApiError(400, "More than one Content-Type header")
        if not ctypes and empty_ok and not req.body:
            return forms.Form("empty")
        try:
            return forms.parse(ctypes[0] if ctypes else None, req.body)
        except forms.FormError as e:
            raise ApiError(400, "Bad form body: %s" % e)

    @staticmethod
    def query_int(req, name, default=None, required=False):
        values = req.query.get(name)
        if not values or values[0] == "":
            if required:
                raise ApiError(400, "Missing required parameter %s" % name)
            return default
        if not _INT.fullmatch(values[0]):
            raise ApiError(400, "Parameter %s must be an integer" % name)
        return int(values[0])

    @staticmethod
    def query_str(req, name, default=None):
        values = req.query.get(name)
        return values[0] if values and values[0] != "" else default

    def own_product(self, req, product):
        pid = req.params["productId"]
        if pid not in self.store.products:
            raise ApiError(404, "Product %s does not exist" % pid)
        if pid != product["product_uuid"]:
            raise ApiError(401, "Not authorized for product %s" % pid)

    def own_authorization(self, req, product, must_be_active=False):
        self.own_product(req, product)
        aid = req.params["authorizationId"]
        auth = self.store.authorizations.get(aid)
        if auth is None:
            raise ApiError(404, "Authorization %s does not exist" % aid)
        if auth.product_uuid != product["product_uuid"]:
            raise ApiError(401, "Authorization %s belongs to another product" % aid)
        if must_be_active and not auth.is_active:
            raise ApiError(401, "Authorization %s is revoked" % aid)
        return auth

    def dataset_access(self, req, product):
        cid, did = req.params["clientId"], req.params["datasetId"]
        if cid not in self.store.customers:
            raise ApiError(404, "Client %s does not exist" % cid)
        ds = self.store.datasets.get(did)
        if ds is None or ds.client_uuid != cid:
            raise ApiError(404, "Dataset %s does not exist for client %s" % (did, cid))
        if not self.store.has_active_authorization(product["product_uuid"], cid, did):
            raise ApiError(401, "No active authorization of this product for dataset %s" % did)
        return ds

    @staticmethod
    def authorized_records(product, ds):
        allowed = product["authorized_set"]
        if allowed is None:
            return ds.records
        idx = ds.index
        return [ds.records[i] for i in sorted(idx[s] for s in allowed if s in idx)]

    # ---- auth -------------------------------------------------------------------------

    def post_jwt_auth(self, req):
        form = self.form_of(req)
        mask = self.mask_of(req)
        for field in ("username", "password", "role"):
            if form.get(field) is None:
                raise ApiError(400, "Missing required parameter %s in the form body" % field)
        if form.get("role") != "role_product":
            raise ApiError(401, "Unsupported role")
        product = self.store.check_credentials(form.get("username"), form.get("password"))
        if product is None:
            raise ApiError(401, "Bad username or password")
        token = self.tokens.issue(product["product_uuid"], "role_product")
        return self.model_reply({"access_token": token}, mask)

    # ---- products and authorizations ----------------------------------------------

    def get_product(self, req):
        product = self.authenticate(req)
        self.own_product(req, product)
        mask = self.mask_of(req)
        return self.model_reply(self.store.product_model(product), mask)

    def get_authorizations_queue(self, req):
        product = self.authenticate(req)
        self.own_product(req, product)
        mask = self.mask_of(req)
        start = self.query_int(req, "seq_num_start")
        return self.model_reply(self.store.queue(product["product_uuid"], start), mask)

    def get_product_authorization(self, req):
        product = self.authenticate(req)
        auth = self.own_authorization(req, product)
        mask = self.mask_of(req)
        return self.model_reply(self.store.authorization_model(auth), mask)

    def post_product_authorization(self, req):
        product = self.authenticate(req)
        auth = self.own_authorization(req, product, must_be_active=True)
        self.store.mark_done(auth)
        return Reply(201, b"")

    def post_product_authorization_unfulfillable(self, req):
        product = self.authenticate(req)
        auth = self.own_authorization(req, product, must_be_active=True)
        mask = self.mask_of(req)
        return self.model_reply(self.store.mark_unfulfillable(auth), mask)

    def post_authorization_result_file(self, req):
        product = self.authenticate(req)
        auth = self.own_authorization(req, product, must_be_active=True)
        mask = self.mask_of(req)
        form = self.form_of(req)
        part = form.files.get("file_report")
        if part is None:
            if form.get("file_report") is not None:
                raise ApiError(400, "file_report must be a file part (Content-Disposition with a filename)")
            raise ApiError(400, "Missing required file part file_report")
        name = self.query_str(req, "original_filename") or form.get("original_filename") or part.filename
        if not name:
            raise ApiError(400, "No original_filename and the file part has an empty filename")
        return self.model_reply(self.store.add_file(auth, name, part.data), mask, 201)

    def post_authorization_result_credentials(self, req):
        product = self.authenticate(req)
        auth = self.own_authorization(req, product, must_be_active=True)
        mask = self.mask_of(req)
        form = self.form_of(req, empty_ok=True)
        report = self.store.add_credentials(auth, form.get("credentials_username"),
                                            form.get("credentials_password"), form.get("report_url"))
        return self.model_reply(report, mask, 201)

    # ---- client data -------------------------------------------------------------------

    def get_client_snp(self, req):
        product = self.authenticate(req)
        ds = self.dataset_access(req, product)
        mask = self.mask_of(req)
        snp = req.params["snpId"]
        allowed = product["authorized_set"]
        if allowed is not None and snp not in allowed:
            raise ApiError(401, "Not authorized for SNP %s" % snp)
        i = ds.index.get(snp)
        if i is None:
            raise ApiError(404, "SNP %s is not in dataset %s" % (snp, ds.uuid))
        return self.model_reply(genotypes.client_snp(ds.records[i], ds.reference_genome), mask)

    def get_client_snp_group(self, req):
        product = self.authenticate(req)
        ds = self.dataset_access(req, product)
        mask = self.mask_of(req)
        who = "*" if product["authorized_set"] is None else product["product_uuid"]
        key = ("snps", ds.uuid, who, masks.canonical(mask))
        try:
            body = self.cache.get(key, lambda: snp_list_body(ds, self.authorized_records(product, ds), mask))
        except masks.MaskError as e:
            raise ApiError(400, str(e))
        return Reply(200, body)

    def post_client_snp_group(self, req):
        product = self.authenticate(req)
        ds = self.dataset_access(req, product)
        mask = self.mask_of(req)
        form = self.form_of(req)
        raw = form.get("snps")
        if raw is None:
            raise ApiError(400, "Missing required parameter snps in the form body")
        try:
            wanted = json.loads(raw)
        except (ValueError, RecursionError):
            raise ApiError(400, "snps must be a JSON list of rsids or {\"snps\": [...]}")
        if isinstance(wanted, dict):
            wanted = wanted.get("snps")
        if not isinstance(wanted, list) or not all(isinstance(s, str) for s in wanted):
            raise ApiError(400, "snps must be a JSON list of rsids or {\"snps\": [...]}")
        allowed = product["authorized_set"]
        if allowed is not None:
            for s in wanted:
                if s not in allowed:
                    raise ApiError(401, "Not authorized for SNP %s" % s)
        idx = ds.index
        rows = sorted({idx[s] for s in wanted if s in idx})
        try:
            return Reply(200, snp_list_body(ds, [ds.records[i] for i in rows], mask))
        except masks.MaskError as e:
            raise ApiError(400, str(e))

    def get_client_gene(self, req):
        product = self.authenticate(req)
        ds = self.dataset_access(req, product)
        mask = self.mask_of(req)
        symbol = req.params["geneSymbol"]
        gene = self.ref.find_gene(symbol)
        if gene is None:
            raise ApiError(404, "Gene %s does not exist" % symbol)
        acc, start, stop = gene["chromosome_accession"], int(gene["start"]), int(gene["stop"])
        if ds.build == 37:
            hits = [r for r in ds.records if r[1] == acc and start <= r[2] <= stop]
        else:
            # never compare positions across builds: use the gene's own SNP list
            idx = ds.index
            hits = [ds.records[i] for i in sorted(idx[s] for s in self.ref.gene_snp_ids(gene) if s in idx)]
        if not hits:
            raise ApiError(404, "Gene %s intersects no SNP of dataset %s" % (symbol, ds.uuid))
        allowed = product["authorized_set"]
        snps = [genotypes.client_snp(r, ds.reference_genome) for r in hits if allowed is None or r[0] in allowed]
        model = {"molecular_location": {"chromosome_accession": acc, "start": start, "stop": stop},
                 "snps": snps, "symbol": gene["symbol"]}
        return self.model_reply(model, mask)

    # ---- reference -----------------------------------------------------------------------

    def _reference_versions(self, req, build_param, genome_param):
        build = self.query_int(req, build_param, reference_mod.DBSNP_VERSION)
        genome = self.query_str(req, genome_param, reference_mod.GRCH_VERSION)
        if build != reference_mod.DBSNP_VERSION:
            raise ApiError(404, "Only %s=%d is available" % (build_param, reference_mod.DBSNP_VERSION))
        if genome.upper() != reference_mod.GRCH_VERSION:
            raise ApiError(404, "Only %s=%s is available" % (genome_param, reference_mod.GRCH_VERSION))

    def get_gene(self, req):
        self.authenticate(req)
        mask = self.mask_of(req)
        self._reference_versions(req, "dbsnp_build", "reference_genome")
        db, accession = req.params["databaseName"], req.params["accession"]
        if db.upper() != "HGNC":
            raise ApiError(404, "Unknown gene database %s (the sandbox has HGNC symbols)" % db)
        gene = self.ref.find_gene(accession, case_insensitive=True)
        if gene is None:
            raise ApiError(404, "Gene %s does not exist" % accession)
        return self.model_reply(self.ref.public_gene(gene), mask)

    def get_reference_snp(self, req):
        self.authenticate(req)
        mask = self.mask_of(req)
        self._reference_versions(req, "dbsnp_version", "grch_version")
        snp = self.ref.public_snp(req.params["snpAccession"])
        if snp is None:
            raise ApiError(404, "SNP %s does not exist" % req.params["snpAccession"])
        return self.model_reply(snp, mask)

    def get_reference_genomes_group(self, req):
        self.authenticate(req)
        return self.model_reply(self.ref.genomes(), self.mask_of(req))

    def get_reference_genome(self, req):
        self.authenticate(req)
        mask = self.mask_of(req)
        chromosomes = self.ref.genome_chromosomes(req.params["genomeBuildAccession"])
        if chromosomes is None:
            raise ApiError(404, "Reference genome %s does not exist" % req.params["genomeBuildAccession"])
        return self.model_reply(chromosomes, mask)

    def get_reference_chromosome(self, req):
        self.authenticate(req)
        mask = self.mask_of(req)
        genome, acc = req.params["genomeBuildAccession"], req.params["chromosomeAccession"]
        if self.ref.genome_chromosomes(genome) is None:
            raise ApiError(404, "Reference genome %s does not exist" % genome)
        length = self.ref.length_by_accession.get(acc)
        if length is None:
            raise ApiError(404, "Chromosome %s does not exist in %s" % (acc, genome))
        start = self.query_int(req, "range_start", required=True)
        stop = self.query_int(req, "range_stop", required=True)
        if start > stop or start < 1 or stop > length:
            raise ApiError(404, "Coordinates %d..%d do not exist on %s (1..%d)" % (start, stop, acc, length))
        if stop - start + 1 > reference_mod.SEQUENCE_CAP:
            raise ApiError(400, "Range longer than %d bp" % reference_mod.SEQUENCE_CAP)
        return self.model_reply({"sequence": self.ref.sequence(acc, start, stop)}, mask)
