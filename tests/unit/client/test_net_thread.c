/* The network thread against a real HTTPS server on 127.0.0.1: certificates are made at
 * test time with the openssl CLI (two CAs, a server certificate signed by the first), and
 * the server is /usr/bin/python3's http.server wrapped in TLS. It binds port 0 and prints
 * the port. It dies with this process (PR_SET_PDEATHSIG, and it exits when its stdin
 * closes) and is SIGKILLed and reaped at the end either way. */
#include "log.h"
#include "net/api.h"
#include "net/net.h"
#include "../check.h"

#include <SDL.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "tok-e2e-123"

static const char server_py[] =
    "import http.server, json, os, ssl, sys, threading, time\n"
    "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
    "ctx.load_cert_chain(sys.argv[1], sys.argv[2])\n"
    "TOKEN = sys.argv[3]\n"
    "HOME = json.dumps({'township': {'id': 1, 'name': '南湖镇'}, 'village': {'id': 3,\n"
    "    'name': '东村'}, 'household': {'id': 12, 'name': '王家', 'members': [{'id': 31,\n"
    "    'name': '王建国', 'birth_year': 1951}]}, 'sections': [{'key': 'affairs',\n"
    "    'title': '党务公开', 'count': 14}, {'key': 'live', 'title': '党群直播', 'count': 3}],\n"
    "    'live_now': [], 'server_time': '2026-11-23T10:00:00Z'}).encode()\n"
    "class H(http.server.BaseHTTPRequestHandler):\n"
    "    protocol_version = 'HTTP/1.1'\n"
    "    def log_message(self, *a): pass\n"
    "    def send(self, code, body, length=True):\n"
    "        self.send_response(code)\n"
    "        self.send_header('Content-Type', 'application/json')\n"
    "        if length:\n"
    "            self.send_header('Content-Length', str(len(body)))\n"
    "        else:\n"
    "            self.send_header('Connection', 'close')\n"
    "            self.close_connection = True\n"
    "        self.end_headers()\n"
    "        self.wfile.write(body)\n"
    "    def do_GET(self): self.route(b'')\n"
    "    def do_POST(self):\n"
    "        self.route(self.rfile.read(int(self.headers.get('Content-Length') or 0)))\n"
    "    do_PUT = do_POST\n"
    "    def route(self, body):\n"
    "        p, h = self.path, self.headers\n"
    "        if p == '/echo':\n"
    "            self.send(200, json.dumps({'method': self.command,\n"
    "                'auth': h.get('Authorization'),\n"
    "                'accept': h.get('Accept'), 'type': h.get('Content-Type'),\n"
    "                'body': body.decode(), 'port': self.client_address[1]}).encode())\n"
    "        elif p == '/api/v1/home':\n"
    "            if h.get('Authorization') == 'Bearer ' + TOKEN: self.send(200, HOME)\n"
    "            else: self.send(401, b'{\"code\":\"unauthorized\",\"message\":\"bad token\"}')\n"
    "        elif p.startswith('/big/'): self.send(200, b'x' * int(p[5:]))\n"
    "        elif p.startswith('/stream/'): self.send(200, b'x' * int(p[8:]), length=False)\n"
    "        elif p == '/slow':\n"
    "            time.sleep(5)\n"
    "            self.send(200, b'{}')\n"
    "        else: self.send(404, b'{\"code\":\"not_found\",\"message\":\"no such path\"}')\n"
    "class S(http.server.ThreadingHTTPServer):\n"
    "    daemon_threads = True\n"
    "    def finish_request(self, request, client_address):\n"
    "        tls = ctx.wrap_socket(request, server_side=True)  # handshake in the worker\n"
    "        try: super().finish_request(tls, client_address)\n"
    "        finally: tls.close()\n"
    "    def handle_error(self, request, client_address): pass\n"
    "srv = S(('127.0.0.1', 0), H)\n"
    "threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()\n"
    "print(srv.server_address[1], flush=True)\n"
    "srv.serve_forever()\n";

struct fixture {
    char dir[64];
    char ca1[128], ca2[128], crt[128], key[128];
    pid_t server;
    int server_stdin; /* write end; closing it stops the server */
    int port;
    char url[64];
    uint32_t ev;
    int ready;
};

static struct fixture fx = { .server = -1, .server_stdin = -1 };

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Run argv quietly; 0 when it exits 0. */
static int run_quiet(char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void path_in(char *dst, size_t size, const char *name)
{
    snprintf(dst, size, "%s/%s", fx.dir, name);
}

static int write_file(const char *name, const char *text)
{
    char p[128];
    path_in(p, sizeof(p), name);
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    int ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int make_ca(const char *name, char *pem, size_t size)
{
    char key[128], subj[64];
    snprintf(key, sizeof(key), "%s/%s.key", fx.dir, name);
    snprintf(pem, size, "%s/%s.pem", fx.dir, name);
    snprintf(subj, sizeof(subj), "/CN=DJTV test %s", name);
    char *argv[] = { "openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:prime256v1", "-nodes", "-sha256", "-days", "2",
                     "-keyout", key, "-out", pem, "-subj", subj, "-addext",
                     "basicConstraints=critical,CA:TRUE", "-addext",
                     "keyUsage=critical,keyCertSign,cRLSign", NULL };
    return run_quiet(argv);
}

static int make_certs(void)
{
    char csr[128], ext[128], ca1key[128];
    if (make_ca("ca1", fx.ca1, sizeof(fx.ca1)) < 0 || make_ca("ca2", fx.ca2, sizeof(fx.ca2)) < 0)
        return -1;
    path_in(fx.key, sizeof(fx.key), "server.key");
    path_in(fx.crt, sizeof(fx.crt), "server.crt");
    path_in(csr, sizeof(csr), "server.csr");
    path_in(ext, sizeof(ext), "server.ext");
    path_in(ca1key, sizeof(ca1key), "ca1.key");
    /* Only the IP in the SAN: https://localhost must fail the host name check. */
    if (write_file("server.ext", "basicConstraints=critical,CA:FALSE\n"
                                 "keyUsage=critical,digitalSignature\n"
                                 "extendedKeyUsage=serverAuth\n"
                                 "subjectAltName=IP:127.0.0.1\n") < 0)
        return -1;
    char *req[] = { "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-sha256", "-keyout", fx.key,
                    "-out", csr, "-subj", "/CN=djtv test server", NULL };
    char *sign[] = { "openssl", "x509", "-req", "-in", csr, "-CA", fx.ca1, "-CAkey", ca1key,
                     "-set_serial", "2", "-days", "2", "-sha256", "-extfile", ext, "-out",
                     fx.crt, NULL };
    return run_quiet(req) < 0 || run_quiet(sign) < 0 ? -1 : 0;
}

static int start_server(void)
{
    char script[128];
    path_in(script, sizeof(script), "server.py");
    if (write_file("server.py", server_py) < 0)
        return -1;
    int in[2], out[2];
    if (pipe(in) < 0)
        return -1;
    if (pipe(out) < 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(1);
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        /* argv[0] is the full path: python finds its library from argv[0], through PATH when it
         * has no slash, and a PATH that starts with another python (pyenv) would mix the two. */
        execl("/usr/bin/python3", "/usr/bin/python3", script, fx.crt, fx.key, TOKEN, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        return -1;
    }
    fx.server = pid;
    fx.server_stdin = in[1];
    /* The port line; a generous bound: python starts slowly on a busy machine. */
    char line[16] = "";
    size_t got = 0;
    double deadline = now_s() + 30;
    while (got < sizeof(line) - 1 && !strchr(line, '\n') && now_s() < deadline) {
        struct pollfd pfd = { out[0], POLLIN, 0 };
        if (poll(&pfd, 1, 100) <= 0)
            continue;
        ssize_t n = read(out[0], line + got, sizeof(line) - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
        line[got] = '\0';
    }
    close(out[0]);
    char *end = NULL;
    long port = strtol(line, &end, 10);
    if (end == line || port <= 0 || port > 65535)
        return -1;
    fx.port = (int)port;
    snprintf(fx.url, sizeof(fx.url), "https://127.0.0.1:%d", fx.port);
    return 0;
}

static void remove_dir(void)
{
    DIR *d = opendir(fx.dir);
    if (!d)
        return;
    struct dirent *e;
    char p[320];
    for (e = readdir(d); e; e = readdir(d)) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof(p), "%s/%s", fx.dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(fx.dir);
}

static void fixture_down(void)
{
    if (fx.server > 0) {
        kill(fx.server, SIGKILL);
        while (waitpid(fx.server, NULL, 0) < 0 && errno == EINTR)
            ;
        fx.server = -1;
    }
    if (fx.server_stdin >= 0)
        close(fx.server_stdin);
    fx.server_stdin = -1;
    if (fx.dir[0])
        remove_dir();
}

static int fixture_up(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(fx.dir, sizeof(fx.dir), "%s/djtv-net-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(fx.dir)) {
        fx.dir[0] = '\0';
        return -1;
    }
    if (make_certs() < 0) {
        printf("# openssl could not make the test certificates\n");
        return -1;
    }
    if (start_server() < 0) {
        printf("# /usr/bin/python3 test server did not start\n");
        return -1;
    }
    return 0;
}

/* ---- helpers -------------------------------------------------------------------------- */

static struct net *open_net(const char *url, const char *ca, const char *token, long timeout,
                            size_t max_body)
{
    struct net_config cfg = { .base_url = url, .ca_file = ca, .token = token,
                              .timeout_ms = timeout, .max_body = max_body };
    return net_create(&cfg, fx.ev);
}

/* The next result event within timeout_ms (the caller frees it), or NULL. */
static struct net_result *wait_result(int timeout_ms)
{
    double deadline = now_s() + timeout_ms / 1000.0;
    SDL_Event ev;
    while (now_s() < deadline) {
        if (SDL_WaitEventTimeout(&ev, 20) && ev.type == fx.ev)
            return ev.user.data1;
    }
    return NULL;
}

/* One request, its result (caller frees). */
static struct net_result *roundtrip(struct net *n, const char *method, const char *path,
                                    const char *body)
{
    int64_t serial = net_request(n, method, path, body, 7);
    CHECK(serial > 0);
    if (serial <= 0)
        return NULL;
    struct net_result *r = wait_result(15000);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->serial, serial);
        CHECK_EQ_INT(r->kind, 7);
    }
    return r;
}

static int closed_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(a);
    int port = -1;
    if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (s >= 0)
        close(s);
    return port;
}

/* ---- tests ----------------------------------------------------------------------------- */

static void test_fixture(void)
{
    CHECK(fx.ready);
}

static void test_get_delivers_event(void)
{
    struct net *n = open_net(fx.url, fx.ca1, TOKEN, 0, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    struct net_result *r = roundtrip(n, "GET", "/echo", NULL);
    if (r) {
        CHECK_EQ_INT(r->error, NET_OK);
        CHECK_EQ_INT(r->http_status, 200);
        CHECK(r->body != NULL && r->body_len == strlen(r->body));
        CHECK(r->body && strstr(r->body, "\"auth\": \"Bearer " TOKEN "\""));
        CHECK(r->body && strstr(r->body, "\"accept\": \"application/json\""));
        CHECK(r->body && strstr(r->body, "\"method\": \"GET\""));
        CHECK_EQ_STR(r->message, "");
    }
    CHECK_EQ_INT(net_pending(n), 0);
    net_result_free(r);
    net_destroy(n);
}

static void test_post_and_put_send_json(void)
{
    struct net *n = open_net(fx.url, fx.ca1, TOKEN, 0, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    struct net_result *r = roundtrip(n, "POST", "/echo", "{\"a\": \"签到\"}");
    if (r) {
        CHECK_EQ_INT(r->http_status, 200);
        CHECK(r->body && strstr(r->body, "\"method\": \"POST\""));
        CHECK(r->body && strstr(r->body, "\"type\": \"application/json\""));
        CHECK(r->body && strstr(r->body, "\\u7b7e\\u5230")); /* 签到, JSON-escaped by python */
    }
    net_result_free(r);
    r = roundtrip(n, "PUT", "/echo", "{}");
    if (r)
        CHECK(r->body && strstr(r->body, "\"method\": \"PUT\""));
    net_result_free(r);
    net_destroy(n);
}

static void test_http_error_status_is_not_a_net_error(void)
{
    struct net *n = open_net(fx.url, fx.ca1, "wrong-token", 0, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    struct net_result *r = roundtrip(n, "GET", "/nowhere", NULL);
    if (r) {
        CHECK_EQ_INT(r->error, NET_OK);
        CHECK_EQ_INT(r->http_status, 404);
        CHECK(r->body && strstr(r->body, "not_found"));
    }
    net_result_free(r);
    net_destroy(n);
}

static void test_connection_reused(void)
{
    struct net *n = open_net(fx.url, fx.ca1, TOKEN, 0, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    struct net_result *a = roundtrip(n, "GET", "/echo", NULL);
    struct net_result *b = roundtrip(n, "GET", "/echo", NULL);
    const char *pa = a && a->body ? strstr(a->body, "\"port\": ") : NULL;
    const char *pb = b && b->body ? strstr(b->body, "\"port\": ") : NULL;
    CHECK(pa && pb);
    if (pa && pb)
        CHECK_EQ_INT(strtol(pa + 8, NULL, 10), strtol(pb + 8, NULL, 10)); /* same client port */
    net_result_free(a);
    net_result_free(b);
    net_destroy(n);
}

static void test_api_fetch_home_roundtrip(void)
{
    struct net *n = open_net(fx.url, fx.ca1, TOKEN, 0, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    int64_t serial = api_fetch_home(n);
    CHECK(serial > 0);
    struct net_result *r = wait_result(15000);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->serial, serial);
        CHECK_EQ_INT(r->kind, API_HOME);
        CHECK_EQ_INT(r->http_status, 200);
        struct home_model m;
        char err[256];
        CHECK_EQ_INT(api_parse_home(r->body, &m, err, sizeof(err)), 0);
        CHECK_EQ_STR(m.village, "东村");
        CHECK_EQ_INT(m.n_sections, 2);
        CHECK_EQ_INT(m.n_members, 1);
        home_model_free(&m);
    }
    net_result_free(r);
    net_destroy(n);
}

static void test_other_ca_is_tls_verify(void)
{
    struct net *n = open_net(fx.url, fx.ca2, TOKEN, 0, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    struct net_result *r = roundtrip(n, "GET", "/echo", NULL);
    if (r) {
        CHECK_EQ_INT(r->error, NET_ERR_TLS_VERIFY);
        CHECK(r->body == NULL);
        CHECK_EQ_INT(r->http_status, 0);
        CHECK(r->message[0] != '\0');
        CHECK(!strstr(r->message, TOKEN));
    }
    net_result_free(r);
    net_destroy(n);
}

static void test_wrong_host_name_is_tls_verify(void)
{
    char url[64];
    snprintf(url, sizeof(url), "https://localhost:%d", fx.port); /* SAN has only the IP */
    struct net *n = open_net(url, fx.ca1, TOKEN, 0, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    struct net_result *r = roundtrip(n, "GET", "/echo", NULL);
    if (r)
        CHECK_EQ_INT(r->error, NET_ERR_TLS_VERIFY);
    net_result_free(r);
    net_destroy(n);
}

static void test_missing_ca_file_is_tls_verify(void)
{
    char ca[128];
    path_in(ca, sizeof(ca), "no-such-ca.pem");
    struct net *n = open_net(fx.url, ca, TOKEN, 0, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    struct net_result *r = roundtrip(n, "GET", "/echo", NULL);
    if (r)
        CHECK_EQ_INT(r->error, NET_ERR_TLS_VERIFY);
    net_result_free(r);
    net_destroy(n);
}

static void test_closed_port_is_connect(void)
{
    char url[64];
    int port = closed_port();
    CHECK(port > 0);
    snprintf(url, sizeof(url), "https://127.0.0.1:%d", port);
    struct net *n = open_net(url, fx.ca1, TOKEN, 0, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    struct net_result *r = roundtrip(n, "GET", "/echo", NULL);
    if (r)
        CHECK_EQ_INT(r->error, NET_ERR_CONNECT);
    net_result_free(r);
    net_destroy(n);
}

static void test_timeout(void)
{
    struct net *n = open_net(fx.url, fx.ca1, TOKEN, 300, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    double t0 = now_s();
    struct net_result *r = roundtrip(n, "GET", "/slow", NULL);
    if (r)
        CHECK_EQ_INT(r->error, NET_ERR_TIMEOUT);
    CHECK(now_s() - t0 < 3.0);
    net_result_free(r);
    net_destroy(n);
}

static void test_body_cap(void)
{
    struct net *n = open_net(fx.url, fx.ca1, TOKEN, 0, 1000);
    CHECK(n != NULL);
    if (!n)
        return;
    struct net_result *r = roundtrip(n, "GET", "/big/1000", NULL); /* exactly the cap */
    if (r) {
        CHECK_EQ_INT(r->error, NET_OK);
        CHECK_EQ_INT(r->body_len, 1000);
    }
    net_result_free(r);
    r = roundtrip(n, "GET", "/big/5000", NULL); /* Content-Length over the cap */
    if (r) {
        CHECK_EQ_INT(r->error, NET_ERR_TOO_LARGE);
        CHECK(r->body == NULL);
    }
    net_result_free(r);
    r = roundtrip(n, "GET", "/stream/200000", NULL); /* no length: the write callback stops it */
    if (r) {
        CHECK_EQ_INT(r->error, NET_ERR_TOO_LARGE);
        CHECK(r->body == NULL);
    }
    net_result_free(r);
    net_destroy(n);
}

static void test_bad_requests_refused(void)
{
    struct net *n = open_net(fx.url, fx.ca1, TOKEN, 0, 0);
    CHECK(n != NULL);
    if (!n)
        return;
    CHECK_EQ_INT(net_request(n, "DELETE", "/echo", NULL, 1), -EINVAL);
    CHECK_EQ_INT(net_request(n, "GET", "echo", NULL, 1), -EINVAL);
    CHECK_EQ_INT(net_request(n, "GET", "/a b", NULL, 1), -EINVAL);
    CHECK_EQ_INT(net_request(n, "GET", "/a\r\nX-Evil: 1", NULL, 1), -EINVAL);
    CHECK_EQ_INT(net_request(n, "GET", "/echo", "{}", 1), -EINVAL);
    CHECK_EQ_INT(net_request(n, NULL, "/echo", NULL, 1), -EINVAL);
    CHECK_EQ_INT(net_request(NULL, "GET", "/echo", NULL, 1), -EINVAL);
    CHECK_EQ_INT(net_pending(n), 0);
    net_destroy(n);
    net_destroy(NULL);

    struct net_config http = { .base_url = "http://127.0.0.1:1", .ca_file = fx.ca1 };
    CHECK(net_create(&http, fx.ev) == NULL);
    struct net_config no_ca = { .base_url = fx.url };
    CHECK(net_create(&no_ca, fx.ev) == NULL);
    struct net_config crlf = { .base_url = fx.url, .ca_file = fx.ca1, .token = "a\r\nb" };
    CHECK(net_create(&crlf, fx.ev) == NULL);
    struct net_config ok = { .base_url = fx.url, .ca_file = fx.ca1 };
    CHECK(net_create(&ok, 0) == NULL); /* not a registered event type */
}

/* At debug level curl's own trace is logged too; the token must appear nowhere. */
static void test_token_never_logged(void)
{
    char path[128];
    path_in(path, sizeof(path), "debug.log");
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    CHECK(saved >= 0 && fd >= 0);
    if (saved < 0 || fd < 0)
        return;
    dup2(fd, 2);
    close(fd);
    enum log_level level = log_get_level();
    log_set_level(LOG_DEBUG);
    struct net *n = open_net(fx.url, fx.ca1, TOKEN, 0, 0);
    CHECK(n != NULL);
    if (n) {
        struct net_result *r = roundtrip(n, "POST", "/echo", "{}");
        if (r)
            CHECK(r->body && strstr(r->body, TOKEN)); /* it was sent */
        net_result_free(r);
        net_destroy(n);
    }
    log_set_level(level);
    dup2(saved, 2);
    close(saved);

    char text[32768];
    FILE *f = fopen(path, "r");
    size_t len = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    if (f)
        fclose(f);
    text[len] = '\0';
    CHECK(strstr(text, "curl: ") != NULL); /* the trace was on */
    CHECK(strstr(text, "POST /echo -> 200") != NULL);
    CHECK(strstr(text, TOKEN) == NULL);
    CHECK(strstr(text, "Bearer") == NULL);
}

/* Requests in flight (a server that sleeps, a listener that never accepts), more queued
 * behind the connection limit, one result posted but never read: net_destroy returns at
 * once and frees all of it (ASan/valgrind check the "frees"). */
static void test_destroy_with_requests_in_flight(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(a);
    CHECK(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(s, 128) == 0 &&
          getsockname(s, (struct sockaddr *)&a, &len) == 0);
    char mute[64];
    snprintf(mute, sizeof(mute), "https://127.0.0.1:%d", ntohs(a.sin_port));

    struct net *n = open_net(fx.url, fx.ca1, TOKEN, 0, 0);
    struct net *m = open_net(mute, fx.ca1, TOKEN, 0, 0);
    CHECK(n != NULL && m != NULL);
    if (n && m) {
        /* One quick result left unread in SDL's queue. */
        CHECK(net_request(n, "GET", "/echo", NULL, 1) > 0);
        double deadline = now_s() + 15;
        while (net_pending(n) > 0 && now_s() < deadline)
            SDL_Delay(5);
        CHECK_EQ_INT(net_pending(n), 0);
        /* An event of the same type that another sender posted: must survive. */
        SDL_Event other;
        memset(&other, 0, sizeof(other));
        other.type = fx.ev;
        CHECK_EQ_INT(SDL_PushEvent(&other), 1);

        for (int i = 0; i < 3; i++)
            CHECK(net_request(n, "GET", "/slow", NULL, 1) > 0);
        int queued = 0;
        while (net_request(m, "POST", "/echo", "{}", 2) > 0)
            queued++;
        CHECK_EQ_INT(queued, NET_MAX_PENDING);
        CHECK_EQ_INT(net_request(m, "GET", "/echo", NULL, 2), -EAGAIN);
        CHECK_EQ_INT(net_pending(m), NET_MAX_PENDING);
        SDL_Delay(100); /* let both threads start their transfers */
        CHECK_EQ_INT(net_pending(n), 3);

        double t0 = now_s();
        net_destroy(m);
        net_destroy(n);
        CHECK(now_s() - t0 < 2.0);
        n = m = NULL;
        /* Only the foreign event is left. */
        SDL_Event evs[4];
        int left = SDL_PeepEvents(evs, 4, SDL_GETEVENT, fx.ev, fx.ev);
        CHECK_EQ_INT(left, 1);
        if (left == 1)
            CHECK(evs[0].user.data1 == NULL && evs[0].user.data2 == NULL);
    }
    net_destroy(n);
    net_destroy(m);
    if (s >= 0)
        close(s);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    if (SDL_Init(SDL_INIT_EVENTS) != 0) {
        printf("not ok - SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    fx.ev = SDL_RegisterEvents(1);
    double t0 = now_s();
    fx.ready = fixture_up() == 0 && fx.ev != (uint32_t)-1;
    RUN(test_fixture);
    if (fx.ready) {
        RUN(test_get_delivers_event);
        RUN(test_post_and_put_send_json);
        RUN(test_http_error_status_is_not_a_net_error);
        RUN(test_connection_reused);
        RUN(test_api_fetch_home_roundtrip);
        RUN(test_other_ca_is_tls_verify);
        RUN(test_wrong_host_name_is_tls_verify);
        RUN(test_missing_ca_file_is_tls_verify);
        RUN(test_closed_port_is_connect);
        RUN(test_timeout);
        RUN(test_body_cap);
        RUN(test_bad_requests_refused);
        RUN(test_token_never_logged);
        RUN(test_destroy_with_requests_in_flight);
    }
    fixture_down();
    SDL_Quit();
    printf("# %.2f s\n", now_s() - t0);
    return CHECK_DONE();
}
