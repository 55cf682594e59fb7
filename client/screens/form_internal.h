/* The form screen's state, shared by its logic (form.c) and its drawing (form_view.c). */
#ifndef DJTV_FORM_INTERNAL_H
#define DJTV_FORM_INTERNAL_H

#include <stdint.h>

#include "app/form_draft.h"
#include "app/screen.h"
#include "net/api.h"
#include "net/form.h"
#include "screens/netmsg.h"
#include "ui/button.h"
#include "ui/option_list.h"

enum form_phase {
    FP_LOADING,  /* the form and the household's members are on their way */
    FP_ERROR,    /* they could not be read: OK tries again */
    FP_WHO,      /* "谁来答题？": the household has several members */
    FP_QUESTION, /* one question per page */
    FP_SUMMARY,  /* what is answered, before sending */
    FP_SENDING,
    FP_SEND_FAILED, /* not sent: the answers stay on disk; OK sends again */
    FP_RESULT,   /* the score and credits, or "提交成功" */
    FP_ANSWERED, /* the member had answered this questionnaire before */
    FP_KEPT,     /* no server: the answers wait in the outbox, sent when it is back */
};

struct form_screen {
    struct screen base;
    int64_t item_id;
    char title[API_TITLE_MAX];
    enum form_phase phase;
    struct net_msg error;
    int64_t item_serial, home_serial, send_serial;
    struct form_model f; /* owned when have_form */
    int have_form;
    struct home_member members[API_MEMBERS_MAX];
    int n_members, have_members;
    struct form_draft d;     /* the answers so far (d.member_id 0 until someone is chosen) */
    int64_t deadline;        /* exams: wall-clock second the time runs out; 0 = none */
    int remaining_s;         /* shown in the header; -1 = no clock */
    int timed_out;           /* sent because the time ran out */
    struct ui_option_list opts; /* the question on screen (single choice or stars) */
    int multi_focus;         /* a multiple-choice question: the focused option */
    struct ui_option_list who;
    const char *who_names[UI_OPTIONS_MAX];
    char who_labels[UI_OPTIONS_MAX][API_NAME_MAX + 32]; /* "林玉山（已答过）" */
    struct ui_button_row buttons; /* summary: 提交 / 从头检查; result: 完成 */
    struct form_score score;
    char member_name[API_NAME_MAX];
    int who_skipped;         /* the member came from "谁在看？": Back on the first page asks */
};

/* form_view.c */
void form_view_draw(struct form_screen *fs, struct ui *ui);
/* Where the current question's options go (below its prompt). */
SDL_Rect form_view_options_area(struct ui *ui, const struct form_screen *fs);
/* "第 3 题" list of unanswered questions into out ("" when none); returns how many. */
int form_view_unanswered(const struct form_screen *fs, char *out, size_t size);

#endif
