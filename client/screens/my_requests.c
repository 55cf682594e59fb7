#define LOG_TAG "my_requests"
#include "screens/my_requests.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "net/rollcall.h"
#include "net/service.h"
#include "ui/button.h"
#include "ui/theme.h"
#include "ui/widgets.h"

enum { PER_PAGE = 4, ROW_H = 134, ROW_GAP = 16 };

struct my_requests {
    struct screen base;
    struct svc_list list;
    int have_list;
    int focus;
    int64_t list_serial;
    struct svc_detail detail;
    int64_t detail_id;     /* shown (or wanted) request, 0 = the list */
    int have_detail;
    int64_t detail_serial;
    int failed;            /* the last read failed */
    char focus_name[48];
};

static void read_list(struct my_requests *m)
{
    struct net *net = m->base.own.svc->net;
    int64_t s = net ? screen_track(&m->base, api_requests_list(net, 1, PER_PAGE)) : -1;
    m->list_serial = s > 0 ? s : 0;
    m->failed = s <= 0;
}

static void read_detail(struct my_requests *m, int64_t id)
{
    struct net *net = m->base.own.svc->net;
    m->detail_id = id;
    m->have_detail = 0;
    int64_t s = net ? screen_track(&m->base, api_request_get(net, id)) : -1;
    m->detail_serial = s > 0 ? s : 0;
    m->failed = s <= 0;
    m->base.own.dirty = 1;
}

static void mr_on_net(struct screen *sc, const struct net_result *r)
{
    struct my_requests *m = (struct my_requests *)sc;
    int ok = r->error == NET_OK && r->http_status == 200;
    char why[160];
    if (r->serial == m->list_serial) {
        m->list_serial = 0;
        m->have_list = ok && api_parse_requests(r->body, &m->list, why, sizeof(why)) == 0;
        m->failed = !m->have_list;
        if (m->focus >= m->list.n)
            m->focus = m->list.n > 0 ? m->list.n - 1 : 0;
    } else if (r->serial == m->detail_serial) {
        m->detail_serial = 0;
        m->have_detail = ok && api_parse_request_detail(r->body, &m->detail, why,
                                                        sizeof(why)) == 0;
        m->failed = !m->have_detail;
    } else {
        return;
    }
    sc->loading = m->detail_id ? !m->have_detail && !m->failed : !m->have_list && !m->failed;
    sc->own.dirty = 1;
}

static int mr_action(struct screen *sc, enum action a, struct nav *nav)
{
    (void)nav;
    struct my_requests *m = (struct my_requests *)sc;
    if (a == ACTION_OK && m->failed) {
        if (m->detail_id)
            read_detail(m, m->detail_id);
        else
            read_list(m);
        return 1;
    }
    if (m->detail_id) {
        if (a == ACTION_BACK) {
            m->detail_id = 0;
            m->have_detail = 0;
            if (!m->have_list && !m->list_serial)
                read_list(m);
            sc->own.dirty = 1;
            return 1;
        }
        return 0;
    }
    if (a == ACTION_UP && m->focus > 0) {
        m->focus--;
    } else if (a == ACTION_DOWN && m->focus + 1 < m->list.n) {
        m->focus++;
    } else if (a == ACTION_OK && m->have_list && m->list.n > 0) {
        read_detail(m, m->list.items[m->focus].id);
    } else {
        return 0;
    }
    sc->own.dirty = 1;
    return 1;
}

/* "12月8日 10:02" in Beijing time. */
static void beijing_day_time(const char *iso, char *out, size_t size)
{
    int64_t t = api_iso_to_epoch(iso);
    if (t < 0) {
        snprintf(out, size, "—");
        return;
    }
    time_t bj = (time_t)(t + 8 * 3600);
    struct tm tm;
    gmtime_r(&bj, &tm);
    snprintf(out, size, "%d月%d日 %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

static void draw_list(struct my_requests *m, struct ui *ui)
{
    SDL_Rect safe = theme_safe_rect();
    if (m->list.n == 0) {
        SDL_Rect p = { safe.x + 200, THEME_CONTENT_Y, safe.w - 400, 360 };
        ui_draw_panel(ui, &p, "还没有服务请求", "按红键，就能请工作人员帮忙", NULL);
        return;
    }
    for (int i = 0; i < m->list.n; i++) {
        const struct svc_request *r = &m->list.items[i];
        char title[160], desc[160], deadline[32];
        snprintf(title, sizeof(title), "%s · %s", r->category_title, svc_state_text(r->state));
        beijing_day_time(r->deadline_at, deadline, sizeof(deadline));
        if (r->reply_count > 0)
            snprintf(desc, sizeof(desc), "编号 %" PRId64 " · %d 条回复", r->id, r->reply_count);
        else
            snprintf(desc, sizeof(desc), "编号 %" PRId64 " · %s 前联系您", r->id, deadline);
        SDL_Rect row = { safe.x + 20, THEME_CONTENT_Y + 10 + i * (ROW_H + ROW_GAP),
                         safe.w - 40, ROW_H };
        int focused = i == m->focus;
        ui_draw_focus_box(ui, &row, focused);
        int th = ui_line_height(ui, THEME_PX_COUNT), dh = ui_line_height(ui, THEME_PX_SMALL);
        int top = row.y + (row.h - th - dh - 6) / 2;
        SDL_Rect tb = { row.x + 36, top, row.w - 72, th };
        ui_text_in(ui, title, &tb, THEME_PX_COUNT, FONT_BOLD,
                   theme_color(focused ? COL_FOCUS_TEXT : COL_TILE_TEXT), UI_LEFT);
        SDL_Rect db = { row.x + 36, top + th + 6, row.w - 72, dh };
        ui_text_in(ui, desc, &db, THEME_PX_SMALL, FONT_REGULAR,
                   theme_color(focused ? COL_FOCUS_TEXT_SOFT : COL_TILE_TEXT_SOFT), UI_LEFT);
    }
}

static void draw_detail(struct my_requests *m, struct ui *ui)
{
    SDL_Rect safe = theme_safe_rect();
    const struct svc_request *r = &m->detail.req;
    char head[200], when[32], line[SVC_REPLY_MAX + 160];
    int y = THEME_CONTENT_Y; /* under the live banner's band */
    snprintf(head, sizeof(head), "%s · %s", r->category_title, svc_state_text(r->state));
    SDL_Rect b = { safe.x, y, safe.w, ui_line_height(ui, THEME_PX_TITLE) };
    ui_text_in(ui, head, &b, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
    y += b.h + 12;
    beijing_day_time(r->deadline_at, when, sizeof(when));
    snprintf(line, sizeof(line), "编号 %" PRId64 " · 电话 %s · %s 前联系您", r->id, r->phone,
             when);
    SDL_Rect l = { safe.x, y, safe.w, ui_line_height(ui, THEME_PX_BODY) };
    ui_text_in(ui, line, &l, THEME_PX_BODY, FONT_REGULAR, theme_color(COL_TEXT_SOFT), UI_LEFT);
    y += l.h + 30;
    if (m->detail.n_replies == 0) {
        SDL_Rect p = { safe.x, y, safe.w, ui_line_height(ui, THEME_PX_BODY) };
        ui_text_in(ui, "还没有回复，工作人员会打电话给您", &p, THEME_PX_BODY, FONT_REGULAR,
                   theme_color(COL_TEXT), UI_LEFT);
        return;
    }
    for (int i = m->detail.n_replies - 1; i >= 0 && y < THEME_HINT_Y - 120; i--) {
        const struct svc_reply *rp = &m->detail.replies[i];
        beijing_day_time(rp->created_at, when, sizeof(when));
        snprintf(line, sizeof(line), "%s（%s）", rp->author[0] ? rp->author : "工作人员", when);
        SDL_Rect a = { safe.x, y, safe.w, ui_line_height(ui, THEME_PX_BODY) };
        ui_text_in(ui, line, &a, THEME_PX_BODY, FONT_REGULAR, theme_color(COL_TEXT_SOFT), UI_LEFT);
        y += a.h + 4;
        SDL_Rect bb = { safe.x + 40, y, safe.w - 40, ui_line_height(ui, THEME_PX_BODY) };
        ui_text_in(ui, rp->body, &bb, THEME_PX_BODY, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
        y += bb.h + 24;
    }
}

static void mr_draw(struct screen *sc, struct ui *ui)
{
    struct my_requests *m = (struct my_requests *)sc;
    ui_draw_header_title(ui, "我的服务");
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect p = { safe.x + 200, THEME_CONTENT_Y, safe.w - 400, 360 };
    if (m->failed) {
        ui_draw_panel(ui, &p, "网络出了问题", "按 确认 再试一次", NULL);
        static const struct ui_hint h[] = { { "OK", "再试一次" }, { "返回", "返回" } };
        ui_draw_hint_bar(ui, h, 2);
        return;
    }
    if (m->detail_id) {
        if (m->have_detail)
            draw_detail(m, ui);
        else
            ui_draw_panel(ui, &p, "正在打开…", "请稍等", NULL);
        static const struct ui_hint h[] = { { "返回", "回到列表" } };
        ui_draw_hint_bar(ui, h, 1);
        return;
    }
    if (!m->have_list)
        ui_draw_panel(ui, &p, "正在打开…", "请稍等", NULL);
    else
        draw_list(m, ui);
    static const struct ui_hint h[] = {
        { UI_KEY_ARROWS, "选择" }, { "OK", "看回复" }, { "红键", "新的请求" }, { "返回", "返回" },
    };
    ui_draw_hint_bar(ui, h, 4);
}

static const char *mr_focus(const struct screen *sc)
{
    struct my_requests *m = (struct my_requests *)sc;
    if (m->detail_id || !m->have_list || m->list.n == 0)
        return NULL;
    snprintf(m->focus_name, sizeof(m->focus_name), "request.%" PRId64, m->list.items[m->focus].id);
    return m->focus_name;
}

static void mr_dump(const struct screen *sc, cJSON *state)
{
    const struct my_requests *m = (const struct my_requests *)sc;
    cJSON_AddNumberToObject(state, "detail_id", (double)m->detail_id);
    cJSON *ids = cJSON_AddArrayToObject(state, "ids");
    for (int i = 0; ids && i < m->list.n; i++)
        cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)m->list.items[i].id));
    cJSON_AddNumberToObject(state, "replies", m->have_detail ? m->detail.n_replies : 0);
}

/* A reply arrived for a request on screen: read it again. */
static void mr_on_event(struct screen *sc, const struct box_event *ev)
{
    struct my_requests *m = (struct my_requests *)sc;
    if (ev->type != BOX_EVENT_REQUEST_REPLY)
        return;
    if (m->detail_id == ev->request_id && !m->detail_serial)
        read_detail(m, m->detail_id);
    if (!m->list_serial)
        read_list(m);
}

static void mr_destroy(struct screen *sc)
{
    free(sc);
}

static const struct screen_ops mr_ops = {
    .destroy = mr_destroy,
    .on_action = mr_action,
    .on_net = mr_on_net,
    .draw = mr_draw,
    .focus_name = mr_focus,
    .dump_state = mr_dump,
    .on_event = mr_on_event,
};

struct screen *my_requests_screen_create(struct app_services *svc, int64_t open_id)
{
    struct my_requests *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    screen_init(&m->base, &mr_ops, svc, "my_requests");
    read_list(m);
    if (open_id > 0)
        read_detail(m, open_id);
    return &m->base;
}
