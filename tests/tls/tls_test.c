/*
 * tests/tls/tls_test.c - port/mbedtls against real TLS servers.
 *
 * Run by tests/tls/run.sh, which creates the certificates and starts
 * `openssl s_server -rev` instances (each echoes a line reversed), passing
 * their ports and the certificate folder in the environment:
 *   TLS_CERTS        ca.pem (RSA CA + EC CA), ec_ca.der, other_ca.pem
 *   TLS_PORT_EC13    TLS 1.3 only, ECDSA P-256 leaf (EC CA)
 *   TLS_PORT_RSA12   TLS 1.2 only, RSA-2048 leaf (RSA CA), OpenSSL defaults
 *   TLS_PORT_PSS12   TLS 1.2 only, RSA-2048, insists on RSA-PSS signatures
 *   TLS_PORT_RSA     TLS 1.2 + 1.3, RSA-2048
 *   TLS_PORT_EC      TLS 1.2 + 1.3, ECDSA P-256
 * Servers that misbehave (silent, hang up, garbage) are made here.
 */
#define _POSIX_C_SOURCE 200809L

#include "lum_posix.h"
#include "lum_tls.h"
#include "mbedtls/platform_util.h"
#include "lumminary/error.h"
#include "testlib.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* TLS 1.3 connections: not in LUM_TLS12_ONLY builds, and not with input
   buffers that need max_fragment_length (LUM_TLS_SMALL), which is 1.2-only. */
#if defined(MBEDTLS_SSL_PROTO_TLS1_3) && MBEDTLS_SSL_IN_CONTENT_LEN >= 16384
#define HAVE_TLS13 1
#else
#define HAVE_TLS13 0
#endif

#define TIMEOUT_MS 10000u
#define POOL_SIZE (192u * 1024u)

static uint8_t pool[POOL_SIZE];
static lum_platform plat;
static const char *certs;
static uint8_t ca_pem[16384];
static size_t ca_pem_len;
static uint8_t ca_der[4096];
static size_t ca_der_len;
static char ca_path[512];
static char log_seen[2048]; /* everything the port logged in the current test */

/* ------------------------------------------------ malloc accounting (glibc) */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#endif

#if defined(__GLIBC__) && !defined(HAVE_ASAN)
#define COUNT_MALLOC 1
/* The program's own allocator entry points win over libc's for the whole
   process, libc's internal callers included: every libc heap use that the
   TLS port might cause is counted while `counting` is set. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
static volatile int counting;
static volatile unsigned long heap_calls;

void *malloc(size_t n)
{
    if (counting) heap_calls++;
    return __libc_malloc(n);
}
void *calloc(size_t n, size_t size)
{
    if (counting) heap_calls++;
    return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n)
{
    if (counting) heap_calls++;
    return __libc_realloc(p, n);
}
void free(void *p)
{
    __libc_free(p);
}
#endif

/* ----------------------------------------------------------- helpers */

static int log_to_stderr;

static void capture_log(void *ctx, int level, const char *msg)
{
    size_t used = strlen(log_seen), n = strlen(msg);
    if (log_to_stderr) lum_posix_log_stderr(ctx, level, msg);
    if (used + n + 2 < sizeof log_seen) {
        memcpy(log_seen + used, msg, n);
        log_seen[used + n] = '\n';
        log_seen[used + n + 1] = '\0';
    }
}

static uint16_t port_of(const char *name)
{
    const char *v = getenv(name);
    return v ? (uint16_t)atoi(v) : 0;
}

static size_t read_file(const char *name, uint8_t *buf, size_t cap)
{
    char path[512];
    FILE *f;
    size_t n;
    snprintf(path, sizeof path, "%s/%s", certs, name);
    f = fopen(path, "rb");
    if (f == NULL) return 0;
    n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* The default configuration: both test CAs from a PEM buffer. */
static lum_tls_config base_cfg(void)
{
    lum_tls_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.ca_data = ca_pem;
    cfg.ca_data_len = ca_pem_len + 1; /* the NUL read_file left after it */
    cfg.server_name = "localhost";
    return cfg;
}

typedef struct conn {
    lum_posix_tcp tcp;
    lum_transport plain;
    lum_tls tls;
    lum_transport t;
} conn;

static int conn_init(conn *c, const lum_tls_config *cfg)
{
    int rc;
    lum_posix_tcp_init(&c->tcp, &c->plain);
    rc = lum_tls_init(&c->tls, cfg, &c->plain, &plat);
    lum_tls_transport(&c->tls, &c->t);
    return rc;
}

static int conn_connect(conn *c, uint16_t port)
{
    return c->t.connect(c->t.ctx, "127.0.0.1", port, TIMEOUT_MS);
}

static int send_all(lum_transport *t, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        int r = t->send(t->ctx, (const uint8_t *)data + off, len - off, TIMEOUT_MS);
        if (r <= 0) return r < 0 ? r : LUM_ERR_TIMEOUT;
        off += (size_t)r;
    }
    return LUM_OK;
}

/* Reads until a newline; returns the length or a negative lum_err. */
static long recv_line(lum_transport *t, char *buf, size_t cap)
{
    size_t got = 0;
    while (got < cap) {
        int r = t->recv(t->ctx, (uint8_t *)buf + got, cap - got, TIMEOUT_MS);
        if (r < 0) return r;
        if (r == 0) return LUM_ERR_TIMEOUT;
        got += (size_t)r;
        if (buf[got - 1] == '\n') return (long)got;
    }
    return LUM_ERR_BUFFER_TOO_SMALL;
}

/* One request/response with `s_server -rev`: line in, reversed line out. */
static int echo(lum_transport *t, const char *line, char *want, char *got, size_t cap)
{
    size_t n = strlen(line), i;
    long r;
    int rc = send_all(t, line, n);
    if (rc != LUM_OK) return rc;
    for (i = 0; i + 1 < n; i++) want[i] = line[n - 2 - i];
    want[n - 1] = '\n';
    r = recv_line(t, got, cap);
    return (int)r;
}

#define CHECK_ECHO(t, line)                                                     \
    do {                                                                        \
        char tl_want[8192], tl_got[8192];                                       \
        int tl_r = echo((t), (line), tl_want, tl_got, sizeof tl_got);           \
        if (tl_r < 0) TL_FAIL("%s:%d: echo failed: %d", __FILE__, __LINE__, tl_r); \
        CHECK_MEM_EQ(tl_got, (size_t)tl_r, tl_want, strlen(line));              \
    } while (0)

static void reset_pool(void)
{
    lum_tls_pool_deinit();
    lum_tls_pool_init(pool, sizeof pool);
}

/* A listening socket on 127.0.0.1 with a port the kernel picks. */
static int listen_local(uint16_t *port)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

enum { HANG_UP, GARBAGE };

/* A child that accepts one connection, reads the ClientHello, then either
   hangs up or answers with plain HTTP. */
static pid_t bad_server(int lfd, int how)
{
    pid_t pid = fork();
    if (pid == 0) {
        static const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        char buf[512];
        int fd;
        alarm(30); /* never outlive a parent that died */
        fd = accept(lfd, NULL, NULL);
        if (fd >= 0) {
            if (read(fd, buf, sizeof buf) > 0 && how == GARBAGE)
                (void)!write(fd, reply, sizeof reply - 1);
            close(fd);
        }
        _exit(0);
    }
    return pid;
}

static void reap(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
}

/* ------------------------------------------------------------- tests */

#if HAVE_TLS13
/* (a) TLS 1.3, ECDSA certificate: a line goes out, its echo comes back. */
static void tls13_ec_echo(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_EC13")), LUM_OK);
    CHECK_INT_EQ(mbedtls_ssl_get_version_number(&c.tls.ssl), MBEDTLS_SSL_VERSION_TLS1_3);
    CHECK_ECHO(&c.t, "hello lumminary\n");
    CHECK_ECHO(&c.t, "a second request on the same connection\n");
    lum_tls_free(&c.tls);
}
#endif

/* (b) The 1.2+1.3 client against a TLS 1.2-only server with an RSA key:
   mbedTLS issue 10668 case one, solved by our signature_algorithms order
   (one handshake, no retry). */
static void tls12_rsa_hybrid(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    log_seen[0] = '\0';
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_RSA12")), LUM_OK);
    CHECK_INT_EQ(mbedtls_ssl_get_version_number(&c.tls.ssl), MBEDTLS_SSL_VERSION_TLS1_2);
    CHECK(strstr(log_seen, "10668") == NULL);
    CHECK_ECHO(&c.t, "rsa and tls 1.2\n");
    lum_tls_free(&c.tls);
}

/* (b') Issue 10668 case two: a TLS 1.2-only RSA server that imposes RSA-PSS.
   The first handshake fails inside mbedTLS; the port retries as TLS 1.2. */
static void tls12_rsa_pss_server(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    log_seen[0] = '\0';
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_PSS12")), LUM_OK);
    CHECK_INT_EQ(mbedtls_ssl_get_version_number(&c.tls.ssl), MBEDTLS_SSL_VERSION_TLS1_2);
    /* Only a 1.2+1.3 ClientHello offers RSA-PSS, so only it needs the retry. */
    CHECK((strstr(log_seen, "10668") != NULL) == HAVE_TLS13);
    CHECK_ECHO(&c.t, "pss server\n");
    lum_tls_free(&c.tls);
}

/* Both versions against both key types on servers that speak 1.2 and 1.3. */
static void versions_and_keys(void)
{
    static const char *const ports[] = {"TLS_PORT_RSA", "TLS_PORT_EC"};
    static const uint8_t maxv[] = {LUM_TLS_V1_2, LUM_TLS_V1_3};
    size_t p, v;
    for (p = 0; p < 2; p++) {
        for (v = 0; v < (HAVE_TLS13 + 1); v++) {
            lum_tls_config cfg = base_cfg();
            conn c;
            cfg.max_version = maxv[v];
            CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
            CHECK_INT_EQ(conn_connect(&c, port_of(ports[p])), LUM_OK);
            CHECK_INT_EQ(mbedtls_ssl_get_version_number(&c.tls.ssl),
                         v == 0 ? MBEDTLS_SSL_VERSION_TLS1_2 : MBEDTLS_SSL_VERSION_TLS1_3);
            CHECK_ECHO(&c.t, "versions and keys\n");
            lum_tls_free(&c.tls);
        }
    }
}

/* (c) A TLS 1.2-at-most client and a TLS 1.3-only server: no common version. */
static void max12_vs_tls13_only(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    uint8_t byte[1];
    cfg.max_version = LUM_TLS_V1_2;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_EC13")), LUM_ERR_TLS);
    /* the transport is closed, and usable again */
    CHECK_INT_EQ(c.t.recv(c.t.ctx, byte, 1, 0), LUM_ERR_CLOSED);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_EC")), LUM_OK);
    CHECK_ECHO(&c.t, "after a failure\n");
    lum_tls_free(&c.tls);
}

#if HAVE_TLS13
static void min13_vs_tls12_only(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    cfg.min_version = LUM_TLS_V1_3;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_RSA12")), LUM_ERR_TLS);
    lum_tls_free(&c.tls);
}
#endif

/* (d) The certificate is for "localhost", we ask for another name. */
static void wrong_hostname(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    cfg.server_name = "api.lumminary.example";
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_EC")), LUM_ERR_TLS_CERT);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_RSA12")), LUM_ERR_TLS_CERT);
    lum_tls_free(&c.tls);
}

/* server_name NULL: the connect() host, here an IP literal in the SAN. */
static void hostname_from_connect(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    cfg.server_name = NULL;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_EC")), LUM_OK);
    CHECK_ECHO(&c.t, "by address\n");
    c.t.close(c.t.ctx);
    CHECK_INT_EQ(c.t.connect(c.t.ctx, "localhost", port_of("TLS_PORT_EC"), TIMEOUT_MS), LUM_OK);
    CHECK_ECHO(&c.t, "by name\n");
    lum_tls_free(&c.tls);
}

/* (e) A chain that leads to a CA we do not trust. */
static void unknown_ca(void)
{
    static uint8_t other[4096];
    lum_tls_config cfg = base_cfg();
    conn c;
    size_t n = read_file("other_ca.pem", other, sizeof other - 1);
    CHECK(n > 0);
    other[n] = '\0';
    cfg.ca_data = other;
    cfg.ca_data_len = n + 1;
    log_seen[0] = '\0';
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_EC")), LUM_ERR_TLS_CERT);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_RSA12")), LUM_ERR_TLS_CERT);
    CHECK(strstr(log_seen, "certificate verify flags") != NULL);
    lum_tls_free(&c.tls);
}

/* (f) TCP is accepted (by the kernel's backlog) but nobody ever speaks TLS. */
static void silent_server_times_out(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    uint16_t port;
    uint32_t t0, took;
    int lfd, rc;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    lfd = listen_local(&port);
    CHECK(lfd >= 0);
    t0 = plat.now_ms(NULL);
    rc = c.t.connect(c.t.ctx, "127.0.0.1", port, 700);
    took = plat.now_ms(NULL) - t0;
    close(lfd);
    lum_tls_free(&c.tls);
    CHECK_INT_EQ(rc, LUM_ERR_TIMEOUT);
    if (took < 650 || took > 2200) TL_FAIL("timed out after %u ms, asked for 700", (unsigned)took);
}

/* (g) The server reads the ClientHello and hangs up / answers in HTTP. */
static void server_hangs_up_mid_handshake(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    uint16_t port;
    int lfd, rc;
    pid_t pid;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK); /* before the fork: no early return after it */
    lfd = listen_local(&port);
    pid = lfd >= 0 ? bad_server(lfd, HANG_UP) : -1;
    if (lfd >= 0) close(lfd);
    rc = c.t.connect(c.t.ctx, "127.0.0.1", port, TIMEOUT_MS);
    reap(pid);
    lum_tls_free(&c.tls);
    CHECK(pid > 0);
    if (rc != LUM_ERR_CLOSED && rc != LUM_ERR_TLS) TL_FAIL("connect returned %d", rc);
}

static void server_answers_garbage(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    uint16_t port;
    int lfd, rc;
    pid_t pid;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    lfd = listen_local(&port);
    pid = lfd >= 0 ? bad_server(lfd, GARBAGE) : -1;
    if (lfd >= 0) close(lfd);
    rc = c.t.connect(c.t.ctx, "127.0.0.1", port, TIMEOUT_MS);
    reap(pid);
    lum_tls_free(&c.tls);
    CHECK(pid > 0);
    if (rc != LUM_ERR_TLS && rc != LUM_ERR_CLOSED) TL_FAIL("connect returned %d", rc);
}

/* (h) CA certificates as a PEM buffer (two CAs), a DER buffer, a file. */
static void ca_from_der_buffer(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    cfg.ca_data = ca_der;
    cfg.ca_data_len = ca_der_len;
    CHECK(ca_der_len > 0);
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_EC")), LUM_OK); /* EC CA: trusted */
    CHECK_ECHO(&c.t, "der\n");
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_RSA12")), LUM_ERR_TLS_CERT); /* RSA CA: not */
    lum_tls_free(&c.tls);
}

static void ca_from_pem_buffer(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_EC")), LUM_OK);
    CHECK_ECHO(&c.t, "pem\n");
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_RSA12")), LUM_OK);
    CHECK_ECHO(&c.t, "pem rsa\n");
    lum_tls_free(&c.tls);
}

static void ca_from_file(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    cfg.ca_data = NULL;
    cfg.ca_data_len = 0;
    cfg.ca_file = ca_path;
#if !LUM_TLS_HOSTED
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG); /* no files on a microcontroller */
    return;
#endif
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_RSA")), LUM_OK);
    CHECK_ECHO(&c.t, "file\n");
    lum_tls_free(&c.tls);
    cfg.ca_file = "/nonexistent/ca.pem";
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG);
}

static void ca_bad_data(void)
{
    static const uint8_t junk[] = "-----BEGIN CERTIFICATE-----\nnot base64 at all\n"
                                  "-----END CERTIFICATE-----\n";
    static const uint8_t der_junk[] = {0x30, 0x82, 0x01, 0x00, 0x01, 0x02};
    lum_tls_config cfg = base_cfg();
    conn c;
    cfg.ca_data = junk;
    cfg.ca_data_len = sizeof junk;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG);
    cfg.ca_data = der_junk;
    cfg.ca_data_len = sizeof der_junk;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG);
    cfg.ca_data = NULL; /* no CA at all: verification could never succeed */
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG);
    lum_tls_free(&c.tls); /* harmless after a failed init */
}

/* An inner transport that watches the TLS record headers the server sends,
   to see the fragment size the server really uses. */
typedef struct sniffer {
    lum_transport tcp;
    uint8_t hdr[5];
    size_t hdr_have, body_left, max_record;
} sniffer;

static int sniff_recv(void *ctx, uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    sniffer *s = (sniffer *)ctx;
    int r = s->tcp.recv(s->tcp.ctx, buf, cap, timeout_ms), i;
    for (i = 0; i < r; i++) {
        if (s->body_left > 0) {
            s->body_left--;
        } else {
            s->hdr[s->hdr_have++] = buf[i];
            if (s->hdr_have == 5) {
                s->body_left = (size_t)s->hdr[3] << 8 | s->hdr[4];
                if (s->body_left > s->max_record) s->max_record = s->body_left;
                s->hdr_have = 0;
            }
        }
    }
    return r;
}
static int sniff_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    sniffer *s = (sniffer *)ctx;
    s->hdr_have = s->body_left = s->max_record = 0;
    return s->tcp.connect(s->tcp.ctx, host, port, timeout_ms);
}
static int sniff_send(void *ctx, const uint8_t *d, size_t n, uint32_t timeout_ms)
{
    sniffer *s = (sniffer *)ctx;
    return s->tcp.send(s->tcp.ctx, d, n, timeout_ms);
}
static void sniff_close(void *ctx)
{
    sniffer *s = (sniffer *)ctx;
    s->tcp.close(s->tcp.ctx);
}

/* (i) max_fragment_length 2048 negotiated: a 3000-byte line crosses several
   records both ways, and no record from the server is longer than 2048
   bytes of plaintext plus AEAD overhead. A bounded fragment means TLS 1.2,
   also with a server that speaks 1.3 (see configure() in tls_transport.c). */
static void mfl_2048(uint16_t port)
{
    static char line[3001], got[4096];
    lum_tls_config cfg = base_cfg();
    lum_posix_tcp tcp;
    sniffer sn;
    lum_transport inner, t;
    lum_tls tls;
    size_t i;
    long r;
    for (i = 0; i < sizeof line - 2; i++) line[i] = (char)('a' + i % 26);
    line[sizeof line - 2] = '\n';
    line[sizeof line - 1] = '\0';
    memset(&sn, 0, sizeof sn);
    lum_posix_tcp_init(&tcp, &sn.tcp);
    inner.ctx = &sn;
    inner.connect = sniff_connect;
    inner.send = sniff_send;
    inner.recv = sniff_recv;
    inner.close = sniff_close;
    cfg.max_fragment_len = 2048;
    CHECK_INT_EQ(lum_tls_init(&tls, &cfg, &inner, &plat), LUM_OK);
    lum_tls_transport(&tls, &t);
    CHECK_INT_EQ(t.connect(t.ctx, "127.0.0.1", port, TIMEOUT_MS), LUM_OK);
    CHECK_INT_EQ(mbedtls_ssl_get_version_number(&tls.ssl), MBEDTLS_SSL_VERSION_TLS1_2);
    CHECK_INT_EQ(mbedtls_ssl_get_max_out_record_payload(&tls.ssl), 2048);
    CHECK_INT_EQ(t.send(t.ctx, (const uint8_t *)line, sizeof line - 1, TIMEOUT_MS), 2048);
    CHECK_INT_EQ(send_all(&t, line + 2048, sizeof line - 1 - 2048), LUM_OK);
    r = recv_line(&t, got, sizeof got);
    CHECK_INT_EQ(r, (long)sizeof line - 1);
    for (i = 0; i < sizeof line - 2; i++)
        if (got[i] != line[sizeof line - 3 - i]) TL_FAIL("echo differs at byte %zu", i);
    lum_tls_free(&tls);
    if (sn.max_record > 2048 + 64)
        TL_FAIL("server sent a %zu-byte record: max_fragment_length not in force", sn.max_record);
}

static void max_fragment_2048_tls12(void)
{
    mfl_2048(port_of("TLS_PORT_RSA12"));
}

static void max_fragment_2048_hybrid_server(void)
{
    mfl_2048(port_of("TLS_PORT_EC"));
}


static void max_fragment_invalid(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    cfg.max_fragment_len = 3000;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG);
    cfg.max_fragment_len = 16384;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG);
#if HAVE_TLS13
    cfg.max_fragment_len = 2048; /* TLS 1.3 cannot bound fragments here */
    cfg.max_version = LUM_TLS_V1_3;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG);
    cfg.max_version = 0;
    cfg.min_version = LUM_TLS_V1_3;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG);
    cfg.min_version = 0;
#endif
#if MBEDTLS_SSL_IN_CONTENT_LEN < 4096 || MBEDTLS_SSL_OUT_CONTENT_LEN < 4096
    cfg.max_fragment_len = 4096; /* larger than our buffers */
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG);
#endif
    cfg.max_fragment_len = 0;
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    cfg.min_version = LUM_TLS_V1_3;
    cfg.max_version = LUM_TLS_V1_2;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_INVALID_ARG);
#else
    cfg.max_version = LUM_TLS_V1_3; /* not in a LUM_TLS12_ONLY build */
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_TLS_CONFIG);
#endif
    cfg.max_version = 7;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_ERR_INVALID_ARG);
}

/* (j) Pools from far too small to just enough: every size fails cleanly
   (LUM_ERR_TLS_CONFIG at init or connect) or works; the smallest that works
   is reported. */
static void pool_too_small(void)
{
    static uint8_t small[96 * 1024];
    size_t size, smallest = 0;
    int saw_config_error = 0;
    lum_tls_pool_deinit();
    for (size = 2048; size <= sizeof small; size += 2048) {
        lum_tls_config cfg = base_cfg();
        conn c;
        int rc;
        lum_tls_pool_init(small, size);
        rc = conn_init(&c, &cfg);
        if (rc == LUM_OK) rc = conn_connect(&c, port_of("TLS_PORT_RSA"));
        if (rc == LUM_OK) {
            char want[64], got[64];
            rc = echo(&c.t, "tight\n", want, got, sizeof got);
            rc = rc == 6 && memcmp(got, "thgit\n", 6) == 0 ? LUM_OK : LUM_ERR_TLS;
        }
        lum_tls_free(&c.tls);
        lum_tls_pool_deinit();
        if (rc == LUM_OK) {
            smallest = size;
            break;
        }
        if (rc == LUM_ERR_TLS_CONFIG) saw_config_error = 1;
        else if (rc != LUM_ERR_TLS) {
            lum_tls_pool_init(pool, sizeof pool);
            TL_FAIL("pool of %zu bytes: %d", size, rc);
        }
    }
    lum_tls_pool_init(pool, sizeof pool);
    CHECK(saw_config_error);
    CHECK(smallest > 0);
    printf("INFO tls/pool_too_small: smallest working pool (2 KiB steps, TLS %s, RSA-2048): %zu bytes\n",
           HAVE_TLS13 ? "1.3" : "1.2", smallest);
}

/* (k) close, then connect again: a new session each time. */
static void reconnect_after_close(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    uint8_t byte[1];
    int i;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    for (i = 0; i < 3; i++) {
        CHECK_INT_EQ(conn_connect(&c, port_of(i == 1 ? "TLS_PORT_RSA12" : "TLS_PORT_EC")), LUM_OK);
        CHECK_ECHO(&c.t, "again\n");
        c.t.close(c.t.ctx);
        c.t.close(c.t.ctx); /* twice is fine */
        CHECK_INT_EQ(c.t.send(c.t.ctx, (const uint8_t *)"x", 1, 10), LUM_ERR_CLOSED);
        CHECK_INT_EQ(c.t.recv(c.t.ctx, byte, 1, 10), LUM_ERR_CLOSED);
    }
    /* connecting an open transport closes it first */
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_EC")), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_RSA12")), LUM_OK);
    CHECK_ECHO(&c.t, "reopened\n");
    lum_tls_free(&c.tls);
}

/* recv with timeout 0 never blocks; the server closing ends the stream. */
static void recv_probe_and_peer_close(void)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    uint8_t b[64];
    uint32_t t0;
    int r, i;
    CHECK_INT_EQ(conn_init(&c, &cfg), LUM_OK);
    CHECK_INT_EQ(conn_connect(&c, port_of("TLS_PORT_EC")), LUM_OK);
    t0 = plat.now_ms(NULL);
    CHECK_INT_EQ(c.t.recv(c.t.ctx, b, sizeof b, 0), 0);
    CHECK(plat.now_ms(NULL) - t0 < 200);
    CHECK_INT_EQ(c.t.recv(c.t.ctx, b, sizeof b, 100), 0);
    CHECK_INT_EQ(send_all(&c.t, "CLOSE\n", 6), LUM_OK); /* s_server -rev hangs up */
    for (i = 0, r = 0; i < 50 && r == 0; i++) r = c.t.recv(c.t.ctx, b, sizeof b, 200);
    CHECK_INT_EQ(r, LUM_ERR_CLOSED);
    CHECK_INT_EQ(c.t.recv(c.t.ctx, b, sizeof b, 0), LUM_ERR_CLOSED);
    lum_tls_free(&c.tls);
}

/* The TLS port never touches the libc heap: not for a CA file, not in a
   handshake, not in I/O. (TCP connect is not counted: getaddrinfo is the
   POSIX port's business.) */
#if defined(COUNT_MALLOC)
static lum_transport counted_inner;
static int uncounted_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    int r, was = counting;
    counting = 0;
    r = counted_inner.connect(ctx, host, port, timeout_ms);
    counting = was;
    return r;
}
#endif

static void no_libc_heap(void)
{
#if defined(COUNT_MALLOC)
    lum_tls_config cfg = base_cfg();
    conn c;
    const char *ports[] = {"TLS_PORT_RSA12", "TLS_PORT_EC"};
    int i;
#if LUM_TLS_HOSTED
    cfg.ca_file = ca_path; /* both ways of loading CAs */
#endif
    lum_posix_tcp_init(&c.tcp, &counted_inner);
    c.plain = counted_inner;
    c.plain.connect = uncounted_connect;
    heap_calls = 0;
    counting = 1;
    CHECK_INT_EQ(lum_tls_init(&c.tls, &cfg, &c.plain, &plat), LUM_OK);
    lum_tls_transport(&c.tls, &c.t);
    for (i = 0; i < 2; i++) {
        CHECK_INT_EQ(conn_connect(&c, port_of(ports[i])), LUM_OK);
        CHECK_ECHO(&c.t, "counted\n");
        c.t.close(c.t.ctx);
    }
    lum_tls_free(&c.tls);
    counting = 0;
    CHECK_INT_EQ(heap_calls, 0);
#else
    printf("INFO tls/no_libc_heap: skipped (needs glibc without ASan)\n");
#endif
}

/* Certificate dates: the port's gmtime_r (tls_time.c) against libc's over
   0001-01-01 .. 9999-12-31, every leap-year edge and a pseudo-random sweep. */
static void gmtime_matches_libc(void)
{
#if defined(MBEDTLS_PLATFORM_GMTIME_R_ALT)
    static const long long edges[] = {0, -1, 59, 86399, 86400, 951782400, 951868799, 951868800, 4107542399LL,
                                      4107542400LL, -2208988800LL, -62135596800LL, 253402300799LL, 1796357727};
    uint32_t rng = 12345;
    int i;
    for (i = 0; i < 200014; i++) {
        mbedtls_time_t t;
        struct tm want, got;
        if (i < (int)(sizeof edges / sizeof edges[0])) {
            t = (mbedtls_time_t)edges[i];
        } else {
            rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
            t = (mbedtls_time_t)((long long)rng * 59 - 62135596800LL); /* spans 0001 .. ~8000 */
        }
        {
            time_t lt = (time_t)t;
            CHECK(gmtime_r(&lt, &want) != NULL);
        }
        CHECK(mbedtls_platform_gmtime_r(&t, &got) == &got);
        if (got.tm_year != want.tm_year || got.tm_mon != want.tm_mon || got.tm_mday != want.tm_mday ||
            got.tm_hour != want.tm_hour || got.tm_min != want.tm_min || got.tm_sec != want.tm_sec ||
            got.tm_wday != want.tm_wday || got.tm_yday != want.tm_yday)
            TL_FAIL("t=%lld: got %d-%d-%d %d:%d:%d wday %d yday %d, want %d-%d-%d %d:%d:%d wday %d yday %d",
                    (long long)t, got.tm_year, got.tm_mon, got.tm_mday, got.tm_hour, got.tm_min, got.tm_sec,
                    got.tm_wday, got.tm_yday, want.tm_year, want.tm_mon, want.tm_mday, want.tm_hour, want.tm_min,
                    want.tm_sec, want.tm_wday, want.tm_yday);
    }
#else
    printf("INFO tls/gmtime_matches_libc: skipped (no certificate dates in this build)\n");
#endif
}

/* Pool high-water marks for a handshake + one request, per version and key
   type (figures, not assertions). */
static size_t measure(const char *port_env, uint8_t max_version, size_t *after_init)
{
    lum_tls_config cfg = base_cfg();
    conn c;
    char want[64], got[64];
    size_t peak = 0;
    cfg.max_version = max_version;
    reset_pool();
    if (conn_init(&c, &cfg) == LUM_OK) {
        *after_init = lum_tls_pool_peak(pool, sizeof pool);
        if (conn_connect(&c, port_of(port_env)) == LUM_OK &&
            echo(&c.t, "GET /api/v1 HTTP/1.1\n", want, got, sizeof got) == 21)
            peak = lum_tls_pool_peak(pool, sizeof pool);
    }
    lum_tls_free(&c.tls);
    reset_pool();
    return peak;
}

static void pool_peak(void)
{
    static const struct { const char *port, *name; uint8_t v; } runs[] = {
        {"TLS_PORT_RSA", "TLS 1.2, RSA-2048 ", LUM_TLS_V1_2},
#if HAVE_TLS13
        {"TLS_PORT_RSA", "TLS 1.3, RSA-2048 ", LUM_TLS_V1_3},
#endif
        {"TLS_PORT_EC", "TLS 1.2, ECDSA P-256", LUM_TLS_V1_2},
#if HAVE_TLS13
        {"TLS_PORT_EC", "TLS 1.3, ECDSA P-256", LUM_TLS_V1_3},
#endif
    };
    size_t i, init_peak = 0;
    for (i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        size_t peak = measure(runs[i].port, runs[i].v, &init_peak);
        CHECK(peak > 0 && peak < sizeof pool);
        printf("INFO tls/pool_peak: %s handshake + 1 request: %zu bytes "
               "(in/out buffers %d/%d, CAs loaded: %zu)\n",
               runs[i].name, peak, MBEDTLS_SSL_IN_CONTENT_LEN, MBEDTLS_SSL_OUT_CONTENT_LEN, init_peak);
    }
    printf("INFO tls/sizeof: lum_tls %zu bytes\n", sizeof(lum_tls));
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    certs = getenv("TLS_CERTS");
    if (certs == NULL || port_of("TLS_PORT_EC13") == 0) {
        printf("FAIL tls/setup: run me through tests/tls/run.sh\n");
        return 1;
    }
    ca_pem_len = read_file("ca.pem", ca_pem, sizeof ca_pem - 1);
    ca_pem[ca_pem_len] = '\0';
    ca_der_len = read_file("ec_ca.der", ca_der, sizeof ca_der);
    snprintf(ca_path, sizeof ca_path, "%s/ca.pem", certs);
    lum_posix_platform_init(&plat);
    plat.log = capture_log;
    log_to_stderr = getenv("TLS_TEST_LOG") != NULL;
    lum_tls_pool_init(pool, sizeof pool);

    /* First: a libc function that allocates once per process (glibc's
       gmtime_r, through tzset) would be missed after another test ran it. */
    RUN("tls", no_libc_heap);
#if HAVE_TLS13
    RUN("tls", tls13_ec_echo);
#endif
    RUN("tls", tls12_rsa_hybrid);
    RUN("tls", tls12_rsa_pss_server);
    RUN("tls", versions_and_keys);
    RUN("tls", max12_vs_tls13_only);
#if HAVE_TLS13
    RUN("tls", min13_vs_tls12_only);
#endif
    RUN("tls", wrong_hostname);
    RUN("tls", hostname_from_connect);
    RUN("tls", unknown_ca);
    RUN("tls", silent_server_times_out);
    RUN("tls", server_hangs_up_mid_handshake);
    RUN("tls", server_answers_garbage);
    RUN("tls", ca_from_pem_buffer);
    RUN("tls", ca_from_der_buffer);
    RUN("tls", ca_from_file);
    RUN("tls", ca_bad_data);
    RUN("tls", max_fragment_2048_tls12);
    RUN("tls", max_fragment_2048_hybrid_server);
    RUN("tls", max_fragment_invalid);
    RUN("tls", pool_too_small);
    RUN("tls", reconnect_after_close);
    RUN("tls", recv_probe_and_peer_close);
    RUN("tls", gmtime_matches_libc);
    RUN("tls", pool_peak);

    lum_tls_pool_deinit();
    return TESTS_DONE();
}
