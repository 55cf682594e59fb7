/* The typed events of the box's event stream, table-driven: each type, malformed bodies,
 * unknown types. */
#include "net/box_event.h"
#include "../check.h"

struct ev_case {
    const char *type, *data;
    int rc;
    enum box_event_type want;
    int64_t id; /* the event's main id */
    const char *text; /* title, or the reply body */
};

static const struct ev_case cases[] = {
    { "broadcast.started", "{\"broadcast_id\":4,\"title\":\"冬训\",\"org_id\":2}", 0,
      BOX_EVENT_BROADCAST_STARTED, 4, "冬训" },
    { "broadcast.ended", "{\"broadcast_id\":4}", 0, BOX_EVENT_BROADCAST_ENDED, 4, "" },
    { "rollcall.opened",
      "{\"rollcall_id\":7,\"broadcast_id\":2,\"title\":\"11月会议\",\"closes_at\":null}", 0,
      BOX_EVENT_ROLLCALL_OPENED, 7, "11月会议" },
    { "rollcall.opened",
      "{\"rollcall_id\":7,\"broadcast_id\":2,\"title\":\"t\",\"closes_at\":\"2026-11-23T05:55:00Z\"}",
      0, BOX_EVENT_ROLLCALL_OPENED, 7, "t" },
    { "rollcall.closed", "{\"rollcall_id\":7}", 0, BOX_EVENT_ROLLCALL_CLOSED, 7, "" },
    { "request.reply",
      "{\"request_id\":1,\"state\":\"replied\",\"reply\":{\"id\":1,\"body\":\"明天上门\"}}", 0,
      BOX_EVENT_REQUEST_REPLY, 1, "明天上门" },
    { "duty.check", "{\"check_id\":1}", 0, BOX_EVENT_DUTY_CHECK, 1, "" },
    { "rollcall.checkin", "{\"rollcall_id\":3,\"member_id\":9}", 0, BOX_EVENT_ROLLCALL_CHECKIN,
      9, "" },
    { "rollcall.checkin", "{\"rollcall_id\":3}", -22, BOX_EVENT_OTHER, 0, "" },
    { "catalogue.changed",
      "{\"section\":\"video\",\"item_id\":12,\"org_id\":2,\"change\":\"added\"}", 0,
      BOX_EVENT_CATALOGUE_CHANGED, 12, "video" },
    { "catalogue.changed", "{\"item_id\":12}", -22, BOX_EVENT_OTHER, 0, "" },
    { "catalogue.changed", "{\"section\":\"video\",\"item_id\":-1}", -22, BOX_EVENT_OTHER, 0,
      "" },
    { "no.such", "not json at all", 0, BOX_EVENT_OTHER, 0, "" },
    { "broadcast.started", "{\"title\":\"x\"}", -22, BOX_EVENT_OTHER, 0, "" },
    { "broadcast.started", "{\"broadcast_id\":\"4\",\"title\":\"x\"}", -22, BOX_EVENT_OTHER, 0, "" },
    { "broadcast.started", "{\"broadcast_id\":0,\"title\":\"x\"}", -22, BOX_EVENT_OTHER, 0, "" },
    { "broadcast.started", "{\"broadcast_id\":1.5,\"title\":\"x\"}", -22, BOX_EVENT_OTHER, 0, "" },
    { "broadcast.started", "{\"broadcast_id\":1,\"title\":\"\\u0007\"}", -22, BOX_EVENT_OTHER, 0,
      "" },
    { "rollcall.opened", "{\"rollcall_id\":7}", -22, BOX_EVENT_OTHER, 0, "" },
    { "rollcall.closed", "[1]", -22, BOX_EVENT_OTHER, 0, "" },
    { "rollcall.closed", "{\"rollcall_id\":7} trailing", -22, BOX_EVENT_OTHER, 0, "" },
    { "rollcall.closed", "", -22, BOX_EVENT_OTHER, 0, "" },
    { "request.reply", "{\"request_id\":1,\"state\":\"replied\",\"reply\":3}", -22,
      BOX_EVENT_OTHER, 0, "" },
    { "broadcast.started", "{\"broadcast_id\":1,\"title\":\"\xff\"}", -22, BOX_EVENT_OTHER, 0, "" },
};

static void test_table(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct ev_case *c = &cases[i];
        struct box_event ev;
        char err[160];
        int rc = box_event_parse(c->type, c->data, &ev, err, sizeof(err));
        if (rc != c->rc || ev.type != c->want)
            printf("# case %zu (%s %s): rc %d (%s)\n", i, c->type, c->data, rc, err);
        CHECK_EQ_INT(rc, c->rc);
        CHECK_EQ_INT(ev.type, c->want);
        int64_t id = ev.type == BOX_EVENT_ROLLCALL_OPENED || ev.type == BOX_EVENT_ROLLCALL_CLOSED
                         ? ev.rollcall_id
                     : ev.type == BOX_EVENT_REQUEST_REPLY    ? ev.request_id
                     : ev.type == BOX_EVENT_ROLLCALL_CHECKIN ? ev.member_id
                     : ev.type == BOX_EVENT_DUTY_CHECK       ? ev.check_id
                     : ev.type == BOX_EVENT_CATALOGUE_CHANGED ? ev.item_id
                                                             : ev.broadcast_id;
        CHECK_EQ_INT(id, c->id);
        CHECK_EQ_STR(ev.type == BOX_EVENT_REQUEST_REPLY        ? ev.reply_body
                     : ev.type == BOX_EVENT_CATALOGUE_CHANGED ? ev.section
                                                              : ev.title,
                     c->text);
    }
}

static void test_closes_at_and_names(void)
{
    struct box_event ev;
    CHECK_EQ_INT(box_event_parse("rollcall.opened",
                                 "{\"rollcall_id\":7,\"broadcast_id\":2,\"title\":\"t\","
                                 "\"closes_at\":\"2026-11-23T05:55:00Z\"}",
                                 &ev, NULL, 0),
                 0);
    CHECK_EQ_STR(ev.closes_at, "2026-11-23T05:55:00Z");
    CHECK_EQ_INT(ev.broadcast_id, 2);
    CHECK_EQ_STR(box_event_name(BOX_EVENT_REQUEST_REPLY), "request.reply");
    CHECK_EQ_INT(box_event_parse(NULL, "{}", &ev, NULL, 0), -22);
}

int main(void)
{
    RUN(test_table);
    RUN(test_closes_at_and_names);
    return check_failed_cases ? 1 : 0;
}
