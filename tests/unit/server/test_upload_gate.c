/* The file PUT of staff uploads (PUT /api/v1/staff/uploads/{id}/file, a SERVE_UPLOAD route)
 * through the real adapter, without sockets: the one gate (cross-site, authentication, staff
 * level) and then the route's handler (own township's job, waiting, Content-Length within the
 * announced size) decide before any body is read; only an allowed request gets an open file
 * for the HTTP layer to stream into, and a refused one gets none. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../check.h"
#include "api_env.h"
#include "upload/upload.h"

struct gate {
    struct api_env e;
    struct uploads *up;
    char media[512];
};

static int gate_open(struct gate *g)
{
    memset(g, 0, sizeof(*g));
    if (api_env_open(&g->e) < 0 || test_tmpdir(g->media, sizeof(g->media)) < 0)
        return -1;
    struct upload_config uc = {
        .media_root = g->media,
        .store = g->e.f.s,
        .max_bytes = 1024 * 1024,
        .reserve_bytes = 0,
    };
    return uploads_create(&uc, &g->up);
}

static void gate_close(struct gate *g)
{
    uploads_destroy(g->up);
    if (g->media[0])
        test_rmtree(g->media);
    api_env_close(&g->e);
}

/* A video job of TOWNSHIP announced as SIZE bytes: its id. */
static int64_t announce(struct gate *g, int64_t township, int64_t size)
{
    struct upload_new n = {
        .file = UPLOAD_VIDEO,
        .size = size,
        .township_id = township,
        .account_id = g->e.p.staff,
        .item_json = "{\"kind\":\"视频\",\"title\":\"门口的测试\",\"category\":\"南湖播报\"}",
    };
    snprintf(n.name, sizeof(n.name), "a.mp4");
    int64_t id = 0;
    CHECK_EQ_INT(uploads_add(g->up, &n, &id), 0);
    return id;
}

/* PUT the file of job ID as TOKEN (NULL = none) from ORIGIN (NULL = none), LENGTH announced. */
static int put_file(struct gate *g, int64_t id, const char *token, const char *origin,
                    long long length, struct api_upload *u, char *code, size_t code_cap)
{
    char path[96], auth[128];
    snprintf(path, sizeof(path), "/api/v1/staff/uploads/%lld/file", (long long)id);
    snprintf(auth, sizeof(auth), "Bearer %s", token ? token : "");
    *u = (struct api_upload){ .uploads = g->up, .length = length, .fd = -1 };
    struct adapter_input in = {
        .method = "PUT",
        .path = path,
        .authorization = token ? auth : NULL,
        .origin = origin,
        .host = "127.0.0.1:8443",
        .now = test_now(),
        .upload = u,
    };
    struct adapter_output out;
    adapter_dispatch(g->e.r, g->e.f.s, &in, &out);
    cJSON *j = out.body ? cJSON_ParseWithLength(out.body, out.body_len) : NULL;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "code");
    snprintf(code, code_cap, "%s", cJSON_IsString(c) ? c->valuestring : out.code);
    /* Allowed: no reply yet (the HTTP layer answers at the body's end), a file to write. */
    if (out.status == 200) {
        CHECK_EQ_INT(out.serve, SERVE_UPLOAD);
        CHECK(out.body == NULL);
        CHECK(u->fd >= 0);
        CHECK(u->id == id);
    } else {
        CHECK_EQ_INT(out.serve, SERVE_API);
        CHECK(u->fd < 0);
    }
    cJSON_Delete(j);
    adapter_output_fini(&out);
    return out.status;
}

static void test_who_may_send_the_file(void)
{
    struct gate g;
    if (gate_open(&g) < 0) {
        CHECK(0);
        gate_close(&g);
        return;
    }
    int64_t mine = announce(&g, g.e.f.township, 1000);
    int64_t other = 0; /* another township (jobs are rows: their township must exist) */
    struct store_tx *tx = NULL;
    CHECK_EQ_INT(store_tx_begin(g.e.f.s, &tx), 0);
    CHECK_EQ_INT(store_org_add(tx, 0, "township", "北山镇", &other), 0);
    CHECK_EQ_INT(store_tx_commit(tx), 0);
    int64_t theirs = announce(&g, other, 1000);
    struct api_upload u;
    char code[48];
    static const char evil[] = "https://evil.example";
    const struct {
        int64_t id;
        const char *token, *origin;
        long long length;
        int status;
        const char *code;
    } refused[] = {
        { mine, NULL, NULL, 1000, 401, "unauthorized" },
        { mine, g.e.f.token_a, NULL, 1000, 403, "forbidden" },       /* a box */
        { mine, g.e.p.tok_cadre_a, NULL, 1000, 403, "forbidden" },   /* a cadre */
        { mine, g.e.p.tok_staff, evil, 1000, 403, "cross_site" },
        { theirs, g.e.p.tok_staff, NULL, 1000, 404, "not_found" },   /* another township's */
        { mine + 1000, g.e.p.tok_staff, NULL, 1000, 404, "not_found" },
        { mine, g.e.p.tok_staff, NULL, 1001, 413, "too_large" },     /* over what was announced */
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        int status = put_file(&g, refused[i].id, refused[i].token, refused[i].origin,
                              refused[i].length, &u, code, sizeof(code));
        if (status != refused[i].status)
            printf("# refused case %zu -> %d %s\n", i, status, code);
        CHECK_EQ_INT(status, refused[i].status);
        CHECK_EQ_STR(code, refused[i].code);
    }
    /* Refusals left the job waiting for its file. */
    struct upload_view v;
    CHECK_EQ_INT(uploads_get(g.up, mine, g.e.f.township, &v), 0);
    CHECK_EQ_STR(v.state, "waiting");
    /* Staff of the township, chunked (no length): allowed, with the job's file open. */
    CHECK_EQ_INT(put_file(&g, mine, g.e.p.tok_staff, NULL, -1, &u, code, sizeof(code)), 200);
    CHECK_EQ_INT(uploads_get(g.up, mine, g.e.f.township, &v), 0);
    CHECK_EQ_STR(v.state, "receiving");
    char part[600];
    snprintf(part, sizeof(part), "%s/.uploads/%lld.part", g.media, (long long)mine);
    struct stat sb;
    CHECK_EQ_INT(stat(part, &sb), 0);
    /* Past the announced size the HTTP layer stops: the job fails and its file goes. */
    if (u.fd >= 0) {
        CHECK_EQ_INT(uploads_progress(g.up, mine, 1001), -E2BIG);
        CHECK_EQ_INT(uploads_received(g.up, mine, u.fd, -E2BIG), -E2BIG);
    }
    CHECK(stat(part, &sb) < 0 && errno == ENOENT);
    CHECK_EQ_INT(uploads_get(g.up, mine, g.e.f.township, &v), 0);
    CHECK_EQ_STR(v.state, "failed");
    /* The job is not waiting any more: a second send is refused before its body. */
    CHECK_EQ_INT(put_file(&g, mine, g.e.p.tok_staff, NULL, 1000, &u, code, sizeof(code)), 409);
    CHECK_EQ_STR(code, "already_sent");
    gate_close(&g);
}

int main(void)
{
    RUN(test_who_may_send_the_file);
    return CHECK_DONE();
}
