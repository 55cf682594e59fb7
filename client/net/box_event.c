#include "net/box_event.h"

#include <errno.h>
#include <string.h>

#include "net/jcheck.h"

static const struct {
    const char *name;
    enum box_event_type type;
} names[] = {
    { "broadcast.started", BOX_EVENT_BROADCAST_STARTED },
    { "broadcast.ended", BOX_EVENT_BROADCAST_ENDED },
    { "rollcall.opened", BOX_EVENT_ROLLCALL_OPENED },
    { "rollcall.closed", BOX_EVENT_ROLLCALL_CLOSED },
    { "request.reply", BOX_EVENT_REQUEST_REPLY },
    { "rollcall.checkin", BOX_EVENT_ROLLCALL_CHECKIN },
    { "duty.check", BOX_EVENT_DUTY_CHECK },
    { "catalogue.changed", BOX_EVENT_CATALOGUE_CHANGED },
};

const char *box_event_name(enum box_event_type t)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (names[i].type == t)
            return names[i].name;
    }
    return t == BOX_EVENT_STREAM_OPEN ? "stream.open" : "other";
}

static int parse_id(struct jcheck *c, const cJSON *root, const char *name, int64_t *out)
{
    return jcheck_int(c, root, name, "event", 1, JCHECK_INT_LIMIT, out);
}

int box_event_parse(const char *type, const char *data, struct box_event *out, char *err,
                    size_t errlen)
{
    struct jcheck c;
    jcheck_init(&c, JCHECK_PRINTABLE, err, errlen);
    if (!out || !type || !data)
        return jcheck_fail(&c, "nothing to parse");
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(names[i].name, type) == 0)
            out->type = names[i].type;
    }
    if (out->type == BOX_EVENT_OTHER)
        return 0;
    cJSON *root = jcheck_parse_object(&c, data);
    if (!root) {
        out->type = BOX_EVENT_OTHER;
        return -EINVAL;
    }
    int rc = 0;
    const cJSON *reply = NULL;
    switch (out->type) {
    case BOX_EVENT_BROADCAST_STARTED:
        rc = parse_id(&c, root, "broadcast_id", &out->broadcast_id);
        if (rc == 0)
            rc = jcheck_string(&c, root, "title", "event", out->title, sizeof(out->title));
        if (rc == 0)
            rc = jcheck_int_opt(&c, root, "org_id", "event", 1, JCHECK_INT_LIMIT, 0,
                                &out->org_id);
        break;
    case BOX_EVENT_BROADCAST_ENDED:
        rc = parse_id(&c, root, "broadcast_id", &out->broadcast_id);
        break;
    case BOX_EVENT_ROLLCALL_OPENED:
        rc = parse_id(&c, root, "rollcall_id", &out->rollcall_id);
        if (rc == 0)
            rc = parse_id(&c, root, "broadcast_id", &out->broadcast_id);
        if (rc == 0)
            rc = jcheck_string(&c, root, "title", "event", out->title, sizeof(out->title));
        if (rc == 0)
            rc = jcheck_string_opt(&c, root, "closes_at", "event", out->closes_at,
                                   sizeof(out->closes_at));
        break;
    case BOX_EVENT_ROLLCALL_CLOSED:
        rc = parse_id(&c, root, "rollcall_id", &out->rollcall_id);
        break;
    case BOX_EVENT_REQUEST_REPLY:
        rc = parse_id(&c, root, "request_id", &out->request_id);
        if (rc == 0)
            rc = jcheck_string(&c, root, "state", "event", out->state, sizeof(out->state));
        if (rc == 0)
            rc = jcheck_object_opt(&c, root, "reply", "event", &reply);
        if (rc == 0 && reply)
            rc = jcheck_string_opt(&c, reply, "body", "event.reply", out->reply_body,
                                   sizeof(out->reply_body));
        break;
    case BOX_EVENT_ROLLCALL_CHECKIN:
        rc = parse_id(&c, root, "rollcall_id", &out->rollcall_id);
        if (rc == 0)
            rc = parse_id(&c, root, "member_id", &out->member_id);
        break;
    case BOX_EVENT_DUTY_CHECK:
        rc = parse_id(&c, root, "check_id", &out->check_id);
        if (rc == 0)
            rc = jcheck_string_opt(&c, root, "state", "event", out->state, sizeof(out->state));
        break;
    case BOX_EVENT_CATALOGUE_CHANGED:
        rc = parse_id(&c, root, "item_id", &out->item_id);
        if (rc == 0)
            rc = jcheck_string(&c, root, "section", "event", out->section, sizeof(out->section));
        break;
    default:
        break;
    }
    cJSON_Delete(root);
    if (rc < 0)
        memset(out, 0, sizeof(*out));
    return rc;
}
