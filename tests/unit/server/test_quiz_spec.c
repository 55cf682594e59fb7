/* A course's quiz as staff write it (api/quiz_spec.c): what is accepted (defaults, the title
 * made from the course's, options with their right answers in order), and each refusal naming
 * the place that is wrong, table-driven. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "../check.h"
#include "api/quiz_spec.h"

static const char *message_of(const cJSON *err)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(err, "message");
    return cJSON_IsString(m) ? m->valuestring : "";
}

static void test_accepted(void)
{
    cJSON *j = cJSON_Parse("{\"type\":\"quiz\",\"questions\":["
                           "{\"prompt\":\"一\",\"options\":[{\"label\":\"甲\"},"
                           "{\"label\":\"乙\",\"correct\":true}]},"
                           "{\"prompt\":\"二\",\"multiple\":true,\"options\":["
                           "{\"label\":\"甲\",\"correct\":true},{\"label\":\"乙\",\"correct\":true},"
                           "{\"label\":\"丙\",\"correct\":false}]}]}");
    struct quiz_spec q;
    cJSON *err = NULL;
    CHECK_EQ_INT(quiz_spec_parse(j, "学党章", &q, &err), 0);
    CHECK(err == NULL);
    CHECK_EQ_STR(q.title, "课后测验：学党章");
    CHECK_EQ_STR(q.type, "quiz");
    CHECK_EQ_INT(q.pass_mark, 60);
    CHECK_EQ_INT(q.time_limit_s, 0);
    CHECK_EQ_INT(q.n_questions, 2);
    CHECK_EQ_INT(q.questions[0].n_options, 2);
    CHECK_EQ_INT(q.questions[0].options[0].correct, 0);
    CHECK_EQ_INT(q.questions[0].options[1].correct, 1);
    CHECK_EQ_INT(q.questions[1].multiple, 1);
    CHECK_EQ_STR(q.questions[1].options[2].label, "丙");
    quiz_spec_fini(&q);
    cJSON_Delete(j);

    j = cJSON_Parse("{\"type\":\"exam\",\"title\":\"期末考试\",\"pass_mark\":80,"
                    "\"time_limit_s\":600,\"questions\":[{\"prompt\":\"一\",\"options\":["
                    "{\"label\":\"对\",\"correct\":true},{\"label\":\"错\"}]}]}");
    CHECK_EQ_INT(quiz_spec_parse(j, "学党章", &q, &err), 0);
    CHECK_EQ_STR(q.title, "期末考试");
    CHECK_EQ_INT(q.pass_mark, 80);
    CHECK_EQ_INT(q.time_limit_s, 600);
    quiz_spec_fini(&q);
    cJSON_Delete(j);
}

static void test_refused(void)
{
    static const char ONE[] = "{\"prompt\":\"题\",\"options\":[{\"label\":\"甲\",\"correct\":true},"
                              "{\"label\":\"乙\"}]}";
    char buf[600];
    static const struct {
        const char *quiz; /* %s: one good question */
        const char *message;
    } cases[] = {
        { "[]", "quiz: must be an object" },
        { "{\"questions\":[%s]}", "quiz.type: is required" },
        { "{\"type\":\"poll\",\"questions\":[%s]}", "quiz.type: quiz" },
        { "{\"type\":\"quiz\",\"questions\":[]}", "quiz.questions: must have 1 to 50 items" },
        { "{\"type\":\"quiz\",\"pass_mark\":-1,\"questions\":[%s]}", "quiz.pass_mark" },
        { "{\"type\":\"quiz\",\"time_limit_s\":60,\"questions\":[%s]}",
          "quiz.time_limit_s: only an exam" },
        { "{\"type\":\"exam\",\"time_limit_s\":99999,\"questions\":[%s]}", "quiz.time_limit_s" },
        { "{\"type\":\"quiz\",\"extra\":1,\"questions\":[%s]}", "quiz.extra: unknown field" },
        { "{\"type\":\"quiz\",\"questions\":[%s,7]}", "quiz.questions: each question" },
        { "{\"type\":\"quiz\",\"questions\":[%s,{\"prompt\":\"\",\"options\":[]}]}",
          "quiz.questions[2].prompt" },
        { "{\"type\":\"quiz\",\"questions\":[{\"prompt\":\"p\",\"options\":[{\"label\":\"a\"},"
          "{\"label\":\"b\"}]}]}",
          "quiz.questions[1].options: mark the right option" },
        { "{\"type\":\"quiz\",\"questions\":[{\"prompt\":\"p\",\"options\":[{\"label\":\"a\","
          "\"correct\":true},{\"label\":\"b\",\"correct\":true}]}]}",
          "quiz.questions[1].options: one right option only" },
        { "{\"type\":\"quiz\",\"questions\":[{\"prompt\":\"p\",\"options\":[{\"label\":\"a\","
          "\"correct\":true},\"b\"]}]}",
          "quiz.questions[1].options: each option" },
        { "{\"type\":\"quiz\",\"questions\":[{\"prompt\":\"p\",\"options\":[{\"label\":\"a\","
          "\"correct\":true},{\"label\":\"a\"}]}]}",
          "quiz.questions[1].options[2].label: two options" },
        { "{\"type\":\"quiz\",\"questions\":[{\"prompt\":\"p\",\"options\":[{\"label\":\"a\","
          "\"correct\":1},{\"label\":\"b\"}]}]}",
          "quiz.questions[1].options[1].correct: must be true or false" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(buf, sizeof(buf), cases[i].quiz, ONE);
        cJSON *j = cJSON_Parse(buf);
        CHECK(j != NULL);
        struct quiz_spec q;
        cJSON *err = NULL;
        CHECK_EQ_INT(quiz_spec_parse(j, "课", &q, &err), -EINVAL);
        const char *m = message_of(err);
        if (strncmp(m, cases[i].message, strlen(cases[i].message)) != 0) {
            fprintf(stderr, "case %zu: \"%s\" does not start with \"%s\"\n", i, m,
                    cases[i].message);
            CHECK(0);
        }
        quiz_spec_fini(&q);
        cJSON_Delete(err);
        cJSON_Delete(j);
    }
}

int main(void)
{
    RUN(test_accepted);
    RUN(test_refused);
    return CHECK_DONE();
}
