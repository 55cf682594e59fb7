#define LOG_TAG "outbox"
#include "app/outbox_notice.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "net/form.h"

void outbox_notice(struct notices *notices, const struct net_result *r)
{
    if (r->http_status >= 200 && r->http_status < 300) {
        struct form_score sc;
        char why[128], text[160];
        /* The outbox keeps no kind: a quiz's answer is the one with a score. */
        if (form_parse_score(r->body, &sc, why, sizeof(why)) == 0)
            snprintf(text, sizeof(text), "离线时的答卷已经送到：得分 %d 分%s", sc.score,
                     sc.credited ? "，获得 2 学分" : "");
        else
            snprintf(text, sizeof(text), "离线时提交的内容已经送到");
        notices_post(notices, text, NOTICE_DEFAULT_MS);
        return;
    }
    if (r->queued)
        return; /* still no server: it stays in the outbox */
    const char *text = "离线时提交的内容没有被接受";
    if (r->body && strstr(r->body, "rollcall_closed"))
        text = "签到已经结束，离线时的签到没有记上";
    else if (r->body && strstr(r->body, "not_watching"))
        text = "离线时的签到没有记上：签到要在看会议时进行";
    else if (r->body && strstr(r->body, "already_answered"))
        text = "这份问卷已经答过了";
    log_warn("an offline write was refused: HTTP %ld %s", r->http_status, r->body ? r->body : "");
    notices_post(notices, text, NOTICE_DEFAULT_MS * 2);
}
