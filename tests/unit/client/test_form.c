/* Forms on the box: an item's "form" parsed strictly (a star rating recognised, bad replies
 * refused), a quiz's score, and the draft on disk: saved, read back, and dropped when it no
 * longer fits the form. */
#include "app/form_draft.h"
#include "net/form.h"
#include "../check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char item[] =
    "{\"id\":19,\"title\":\"党章知识测试\",\"kind\":\"考试\",\"form\":{\"type\":\"exam\","
    "\"anonymous\":false,\"pass_mark\":60,\"time_limit_s\":900,\"questions\":["
    "{\"id\":1,\"prompt\":\"党的根本宗旨是什么\",\"multiple\":false,\"options\":["
    "{\"id\":11,\"label\":\"全心全意为人民服务\"},{\"id\":12,\"label\":\"发展生产力\"}]},"
    "{\"id\":2,\"prompt\":\"工作作风\",\"multiple\":false,\"options\":["
    "{\"id\":21,\"label\":\"1星\"},{\"id\":22,\"label\":\"2星\"},{\"id\":23,\"label\":\"3星\"},"
    "{\"id\":24,\"label\":\"4星\"},{\"id\":25,\"label\":\"5星\"}]},"
    "{\"id\":3,\"prompt\":\"哪些要改进\",\"multiple\":true,\"options\":["
    "{\"id\":31,\"label\":\"道路\"},{\"id\":32,\"label\":\"卫生\"}]}]}}";

static void test_parse_item(void)
{
    struct form_model f;
    char err[200];
    CHECK_EQ_INT(form_parse_item(item, &f, err, sizeof(err)), 0);
    CHECK_EQ_INT(f.item_id, 19);
    CHECK_EQ_INT(f.type, FORM_EXAM);
    CHECK_EQ_INT(f.time_limit_s, 900);
    CHECK_EQ_INT(f.pass_mark, 60);
    CHECK_EQ_INT(f.n_questions, 3);
    CHECK(!f.questions[0].stars && f.questions[1].stars && f.questions[2].multiple);
    CHECK_EQ_STR(f.questions[0].options[0].label, "全心全意为人民服务");
    CHECK(form_choice_complete(&f.questions[0], 1u << 1));
    CHECK(!form_choice_complete(&f.questions[0], 3)); /* two for a single choice */
    CHECK(!form_choice_complete(&f.questions[0], 1u << 2)); /* no such option */
    CHECK(form_choice_complete(&f.questions[2], 3));
    CHECK(!form_choice_complete(&f.questions[2], 0));
    form_model_free(&f);
    CHECK_EQ_INT(form_parse_item("{\"id\":3,\"title\":\"通知\"}", &f, err, sizeof(err)), -ENOENT);
    static const char *const bad[] = {
        "", "[]", "{\"id\":3,\"title\":\"x\",\"form\":{\"type\":\"vote\",\"questions\":[]}}",
        "{\"id\":3,\"title\":\"x\",\"form\":{\"type\":\"quiz\",\"questions\":[{\"id\":1,"
        "\"prompt\":\"p\",\"options\":[]}]}}",
        "{\"id\":3,\"title\":\"x\",\"form\":{\"type\":\"quiz\",\"anonymous\":1,\"questions\":[]}}",
        "{\"id\":3,\"title\":\"x\",\"form\":{\"type\":\"quiz\",\"questions\":[{\"id\":1,"
        "\"prompt\":\"p\",\"options\":[{\"id\":\"1\",\"label\":\"a\"}]}]}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_EQ_INT(form_parse_item(bad[i], &f, err, sizeof(err)), -EINVAL);
}

static void test_parse_score(void)
{
    struct form_score s;
    CHECK_EQ_INT(form_parse_score("{\"score\":80,\"correct\":8,\"questions\":10,\"pass_mark\":60,"
                                  "\"passed\":true,\"credited\":true,\"results\":[]}",
                                  &s, NULL, 0),
                 0);
    CHECK(s.score == 80 && s.correct == 8 && s.questions == 10 && s.passed && s.credited);
    CHECK_EQ_INT(form_parse_score("{\"score\":180,\"correct\":8,\"questions\":10,"
                                  "\"pass_mark\":60,\"passed\":true,\"credited\":true}",
                                  &s, NULL, 0),
                 -EINVAL);
}

static void test_draft_round_trip(void)
{
    char dir[] = "/tmp/djtv-draft-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char sub[64];
    snprintf(sub, sizeof(sub), "%s/data", dir); /* created by the first save */
    struct form_model f;
    CHECK_EQ_INT(form_parse_item(item, &f, NULL, 0), 0);
    struct form_draft d = { .item_id = 19, .member_id = 7, .started_at = 1700000000, .page = 2,
                            .n = 3 };
    for (int i = 0; i < 3; i++)
        d.question_ids[i] = f.questions[i].id;
    d.choices[0] = 1;
    d.choices[1] = 1u << 4;
    CHECK_EQ_INT(form_draft_save(sub, &d), 0);
    struct form_draft back;
    CHECK_EQ_INT(form_draft_load(sub, &f, &back), 0);
    CHECK(back.member_id == 7 && back.started_at == 1700000000 && back.page == 2);
    CHECK(back.choices[0] == 1 && back.choices[1] == 16 && back.choices[2] == 0);
    /* The form changed on the server: the draft no longer fits and is dropped. */
    f.questions[2].id = 99;
    CHECK_EQ_INT(form_draft_load(sub, &f, &back), -EINVAL);
    f.questions[2].id = 3;
    CHECK_EQ_INT(form_draft_load(sub, &f, &back), -ENOENT);
    CHECK_EQ_INT(form_draft_save("", &d), -EINVAL); /* no data directory: nothing kept */
    CHECK_EQ_INT(form_draft_remove(sub, 19), 0);
    form_model_free(&f);
    rmdir(sub);
    rmdir(dir);
}

int main(void)
{
    RUN(test_parse_item);
    RUN(test_parse_score);
    RUN(test_draft_round_trip);
    return CHECK_DONE();
}
