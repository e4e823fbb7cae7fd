#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/)
from realistic API responses. Run from the repository root; the files are
committed, so this only needs to run again when the seeds change."""
import os

SNP = ('{"snp_id": "rs429358", "chromosome_accession": "NC_000019.9", "location": 45411941, '
       '"genotyped_alleles": ["C", "T"], "phased": false, "reference_genome": "GRCh37"}')
SNP2 = ('{"snp_id": "i3003137", "chromosome_accession": "NC_012920.1", "location": 73, '
        '"genotyped_alleles": ["G"], "phased": true, "reference_genome": "GRCh37", "x": {"y": [1, null]}}')
SNP_LIST = '[' + SNP + ', ' + SNP2 + ', {"snp_id": "rs\\u0032", "chromosome_accession": "NC_000001.10", ' \
    '"location": 1, "genotyped_alleles": [], "phased": false, "reference_genome": "NCBI36"}]'
AUTHZ = ('{"authorization_uuid": "8f1c2d3e-0000-4000-8000-000000000001", '
         '"client_uuid": "c0ffee00-0000-4000-8000-000000000002", '
         '"product_uuid": "9a9a9a9a-0000-4000-8000-000000000003", "create_timestamp": 1546300800, '
         '"is_active": true, "scopes": {"dataset": "d5d5d5d5-0000-4000-8000-000000000004", '
         '"email": "j\\u00f6rg@example.org", "name": {"first_name": "J\\u00f6rg", "last_name": "M\\u00fcller"}, '
         '"address": {"address1": "1 Main St", "address2": null, "city": "Berlin", "country": "DE", '
         '"phone": "+49 30 123", "state": "BE", "zipcode": "10115"}}, '
         '"state": "authorization_state_fulfillable", "sequence_number": 7, '
         '"order": "0rder000-0000-4000-8000-000000000005", '
         '"report_files": [{"report_file_uuid": "f1", "authorization_uuid": "a1", "create_timestamp": 1, '
         '"file_location": {"filename_original": "r.pdf", "host": "s3.example", "path": "/r/r.pdf"}}], '
         '"report_credentials": [{"report_credentials_uuid": "rc1", "authorization_uuid": "a1", '
         '"create_timestamp": 2, "client_username": "u", "client_password": "p\\"w", '
         '"report_url": "https://r.example/x"}]}')
PRODUCT = ('{"product_uuid": "9a9a9a9a-0000-4000-8000-000000000003", "authorized_scopes": ["dataset", "email", "name"], '
           '"snps_authorized": ["rs429358", "rs7412", "i3003137"], "snps_authorized_any": false, '
           '"snps_min_required": ["rs429358"], "snps_min_required_any": false, "email": "p@example.org", '
           '"redirect_uri": "https://p.example/cb"}')
GENE = ('{"symbol": "APOE", "molecular_location": {"chromosome_accession": "NC_000019.9", "start": 45409039, '
        '"stop": 45412650}, "snps": ' + SNP_LIST + '}')
REPORT_FILE = ('{"report_file_uuid": "f1", "authorization_uuid": "a1", "create_timestamp": 1546300900, '
               '"file_location": {"filename_original": "report.tsv", "host": "files.example", "path": "/f/1"}}')
CREDS = ('{"report_credentials_uuid": "rc1", "authorization_uuid": "a1", "create_timestamp": 3, '
         '"client_username": "user", "client_password": "pass", "report_url": "https://r.example"}')
JWT = '{"access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwIn0.c2ln"}'
ERR = '{"message": "Authorization 8f1c is not active \\u2013 nothing to read", "status": 401}'
PUBLIC_SNP = ('{"snp_id": "rs429358", "chromosome": "19", "chromosome_accession": "NC_000019.9", "location": 45411941, '
              '"reference_allele": "T", "alternative_alleles": ["C", "G"], "reference_genome": "GRCh37.p13", '
              '"dbsnp_version": 149}')
PUBLIC_GENE = ('{"symbol": "APOE", "chromosome": "19", "parent_accession": "NC_000019.9", '
               '"molecular_start_position": 45409039, "molecular_end_position": 45412650, '
               '"snp_ids": ["rs429358", "rs7412", "rs769455"]}')
GENOMES = '[{"reference_accession": "GCF_000001405.25"}, {"reference_accession": "GCF_000001405.13"}]'
CHROMOSOMES = '[' + ', '.join('{"reference_accession": "NC_0000%02d.10"}' % i for i in range(1, 23)) + ']'
SEQUENCE = '{"sequence": "' + 'ACGTN' * 60 + '", "range": [1, 300]}'
SEQUENCE_ESC = '{"meta": {"a": [true, false, null, -1.5e+3]}, "sequence": "AC\\u0047T\\n\\ud83d\\ude00"}'


def write(target, name, data):
    d = os.path.join('tests', 'fuzz', 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def cl(body, status='200 OK', extra=''):
    b = body.encode()
    return ('HTTP/1.1 %s\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\n\r\n'
            % (status, extra, len(b))).encode() + b


def chunked(body, sizes=(7, 30, 1), ext=';x=1', trailer='X-T: 1\r\n'):
    b = body.encode()
    out, i, k = b'', 0, 0
    while i < len(b):
        n = sizes[k % len(sizes)]
        part = b[i:i + n]
        out += b'%x%s\r\n' % (len(part), ext.encode() if k == 0 else b'') + part + b'\r\n'
        i += n
        k += 1
    return (b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n'
            + out + b'0\r\n' + trailer.encode() + b'\r\n')


# ---- fuzz_json: [target|relaxed][piece/cap][stop] body
targets = [(0, JWT), (1, SNP), (2, AUTHZ), (3, PRODUCT), (4, GENE), (5, REPORT_FILE), (6, CREDS),
           (7, SNP_LIST), (8, '[' + AUTHZ + ']'), (9, PRODUCT), (10, ERR), (11, PUBLIC_SNP), (12, PUBLIC_GENE),
           (13, GENOMES), (14, SEQUENCE), (14, SEQUENCE_ESC), (15, ERR)]
for n, (which, body) in enumerate(targets):
    write('json', 't%d-%d' % (which, n), bytes([which, 0xff, 0]) + body.encode())
    write('json', 't%d-%d-small' % (which, n), bytes([which, (3 << 2) | 1, 0]) + body.encode())
write('json', 'relaxed-snp', bytes([1 | 16, 0x43, 0]) + b'{"snp_id": "rs1"}')
write('json', 'stop-list', bytes([7, 0xff, 2]) + SNP_LIST.encode())

# ---- fuzz_dechunk: [piece] chunked body
write('dechunk', 'basic', bytes([3]) + b'5\r\nhello\r\n6;ext="a b"\r\n world\r\n0\r\nX-A: b\r\n\r\n')
write('dechunk', 'lf-only', bytes([0]) + b'a\nabcdefghij\n0\n\n')
write('dechunk', 'upper', bytes([16]) + b'1F \t\r\n' + b'x' * 31 + b'\r\n0\r\n\r\n')

# ---- fuzz_response: [op1|op2<<4][slice<<2|end][token|close<<1] responses separated by "\n~~~\n"
SEP = b'\n~~~\n'
auth = cl(JWT)


def resp(name, op1, op2, slice_, end, token, close, *responses):
    write('response', name, bytes([op1 | (op2 << 4), (slice_ << 2) | end, token | (close << 1)])
          + SEP.join(responses))


T = 1  # the client already holds a token
resp('snp-group', 0, 3, 0, 0, 0, 0, auth, cl(SNP_LIST), cl(SNP))
resp('snp-group-chunked', 0, 0, 7, 0, T, 0, chunked(SNP_LIST), cl(SNP))
resp('queue', 1, 6, 0, 0, T, 0, cl('[' + AUTHZ + ']'), b'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n')
resp('product', 2, 2, 0, 1, T, 0, chunked(PRODUCT, (100,)), cl(PRODUCT))
resp('401-retry', 3, 0, 0, 0, T, 0, cl(ERR, '401 UNAUTHORIZED'), auth, cl(SNP))
resp('interim', 4, 0, 5, 0, T, 0, b'HTTP/1.1 100 Continue\r\n\r\n' + cl(SNP_LIST))
resp('upload', 5, 0, 0, 2, T, 0, cl(REPORT_FILE, '201 CREATED'), cl(REPORT_FILE))
resp('http10', 3, 0, 0, 1, T, 0, b'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n' + SNP.encode())
resp('429', 0, 0, 0, 0, T, 0, cl('{"message": "slow down"}', '429 Too Many Requests', 'Retry-After: 12\r\n'), cl('[]'))
resp('500-html', 6, 0, 0, 0, T, 0, b'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 10\r\n'
     b'Connection: close\r\n\r\n<h1>x</h1>')
resp('jwt', 7, 7, 0, 3, 0, 0, auth, cl(ERR, '401 UNAUTHORIZED'))
resp('gene', 8, 9, 3, 0, T, 0, chunked(GENE, (40, 7)), cl(PUBLIC_GENE))
resp('reference-snp', 10, 11, 0, 0, T, 0, cl(PUBLIC_SNP), cl(GENOMES))
resp('genome', 12, 13, 11, 0, T, 0, cl(CHROMOSOMES), chunked(SEQUENCE, (9, 200, 1)))
resp('sequence-into', 14, 13, 1, 0, T, 0, cl(SEQUENCE_ESC), cl(SEQUENCE))
resp('credentials', 15, 14, 0, 0, T, 0, cl(CREDS, '201 CREATED'), cl('{"x": [1, {"sequence": 5}], "sequence": null}'))
