/* The read-aloud engine with the real espeak-ng and the Mandarin voice, played through SDL's
 * dummy audio driver (which consumes the queue in real time, like a sound card). */
#include <SDL.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../check.h"
#include "speech/speech.h"

static const char *const SHORT_TEXT = "党员同志们好";
static const char *const LONG_TEXT =
    "各位党员同志，本月的主题党日活动将在村党群服务中心举行，请大家按时参加，"
    "不能到场的同志可以在电视上收看直播，并用遥控器签到。";

/* Wait until cond(sp) or timeout; returns the ms waited, or -1 on timeout. */
static int wait_for(struct speech *sp, int (*cond)(struct speech *), int timeout_ms)
{
    Uint32 t0 = SDL_GetTicks();
    while (!cond(sp)) {
        if ((int)(SDL_GetTicks() - t0) > timeout_ms)
            return -1;
        SDL_Delay(5);
    }
    return (int)(SDL_GetTicks() - t0);
}

static int is_loaded(struct speech *sp)
{
    return speech_get_state(sp) != SPEECH_STARTING;
}

static int is_silent(struct speech *sp)
{
    return !speech_is_speaking(sp);
}

static int heard(struct speech *sp)
{
    struct speech_stats st;
    speech_get_stats(sp, &st);
    return st.first_audio_ms >= 0;
}

static uint64_t samples(struct speech *sp)
{
    struct speech_stats st;
    speech_get_stats(sp, &st);
    return st.samples_queued;
}

static void test_speaks_chinese_through_sdl(void)
{
    struct speech *sp = speech_create(NULL);
    CHECK(sp != NULL);
    if (!sp)
        return;
    CHECK(wait_for(sp, is_loaded, 10000) >= 0);
    CHECK_EQ_INT(speech_get_state(sp), SPEECH_READY);
    CHECK_EQ_INT(speech_speak(sp, SHORT_TEXT), 0);
    CHECK(speech_is_speaking(sp));
    CHECK(wait_for(sp, heard, 3000) >= 0);
    /* Played out by the device in real time: six syllables at a slow rate take a while. */
    int ms = wait_for(sp, is_silent, 15000);
    CHECK(ms >= 0);
    struct speech_stats st;
    speech_get_stats(sp, &st);
    CHECK(st.sample_rate >= 8000);
    CHECK_EQ_INT(st.utterances, 1);
    /* At least 0.8 s of speech for six syllables, and not an endless stream either. */
    CHECK(st.samples_queued > (uint64_t)st.sample_rate * 8 / 10);
    CHECK(st.samples_queued < (uint64_t)st.sample_rate * 10);
    CHECK(st.first_audio_ms >= 0 && st.first_audio_ms < 3000);
    speech_destroy(sp);
}

static void test_stop_silences_at_once(void)
{
    struct speech *sp = speech_create(NULL);
    CHECK(sp != NULL);
    if (!sp)
        return;
    CHECK_EQ_INT(speech_speak(sp, LONG_TEXT), 0); /* asked before the voice is loaded */
    CHECK(wait_for(sp, heard, 10000) >= 0);
    SDL_Delay(300);
    CHECK(speech_is_speaking(sp));
    speech_stop(sp);
    CHECK(!speech_is_speaking(sp));
    uint64_t at_stop = samples(sp);
    SDL_Delay(400);
    /* At most the chunk the synthesiser was handing over when stop came. */
    CHECK(samples(sp) - at_stop < 22050 / 4);
    CHECK(!speech_is_speaking(sp));
    speech_destroy(sp);
}

static void test_new_text_cuts_off_the_old(void)
{
    struct speech *sp = speech_create(NULL);
    CHECK(sp != NULL);
    if (!sp)
        return;
    CHECK(wait_for(sp, is_loaded, 10000) >= 0);
    CHECK_EQ_INT(speech_speak(sp, LONG_TEXT), 0);
    CHECK(wait_for(sp, heard, 3000) >= 0);
    CHECK_EQ_INT(speech_speak(sp, SHORT_TEXT), 0);
    /* The long text alone would take well over 10 s; the short one a few. */
    int ms = wait_for(sp, is_silent, 8000);
    CHECK(ms >= 0);
    struct speech_stats st;
    speech_get_stats(sp, &st);
    CHECK_EQ_INT(st.utterances, 2);
    speech_destroy(sp);
}

static void test_missing_voice_data_is_reported(void)
{
    char dir[] = "/tmp/djtv-no-espeak-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct speech_options o = { .data_dir = dir };
    struct speech *sp = speech_create(&o);
    CHECK(sp != NULL);
    if (!sp)
        return;
    CHECK(wait_for(sp, is_loaded, 10000) >= 0);
    CHECK_EQ_INT(speech_get_state(sp), SPEECH_FAILED);
    CHECK(strstr(speech_error(sp), "espeak-ng data") != NULL);
    CHECK_EQ_INT(speech_speak(sp, SHORT_TEXT), -ENOENT);
    CHECK(!speech_is_speaking(sp));
    speech_destroy(sp);
    rmdir(dir);
}

static void test_unknown_voice_is_reported(void)
{
    struct speech_options o = { .voice = "no-such-voice" };
    struct speech *sp = speech_create(&o);
    CHECK(sp != NULL);
    if (!sp)
        return;
    CHECK(wait_for(sp, is_loaded, 10000) >= 0);
    CHECK_EQ_INT(speech_get_state(sp), SPEECH_FAILED);
    CHECK(strstr(speech_error(sp), "voice") != NULL);
    speech_destroy(sp);
}

static void test_empty_text_is_refused(void)
{
    struct speech *sp = speech_create(NULL);
    CHECK(sp != NULL);
    if (!sp)
        return;
    CHECK_EQ_INT(speech_speak(sp, ""), -EINVAL);
    CHECK(!speech_is_speaking(sp));
    speech_destroy(sp);
}

/* espeak-ng is a process-wide library that cannot be loaded a second time in one process
 * (as the app never does): each case runs in a child of its own. */
static void in_child(void (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (SDL_Init(SDL_INIT_EVENTS | SDL_INIT_TIMER) < 0) {
            printf("SDL_Init: %s\n", SDL_GetError());
            _exit(2);
        }
        fn();
        SDL_Quit();
        if (check_case_failed)
            printf("  %s\n", check_first_failure);
        fflush(stdout);
        _exit(check_case_failed ? 1 : 0);
    }
    int status = 0;
    CHECK(pid > 0);
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

#define RUN_CHILD(fn)                                                                      \
    static void fn##_child(void)                                                           \
    {                                                                                      \
        in_child(fn);                                                                      \
    }
RUN_CHILD(test_speaks_chinese_through_sdl)
RUN_CHILD(test_stop_silences_at_once)
RUN_CHILD(test_new_text_cuts_off_the_old)
RUN_CHILD(test_missing_voice_data_is_reported)
RUN_CHILD(test_unknown_voice_is_reported)
RUN_CHILD(test_empty_text_is_refused)

int main(void)
{
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    RUN(test_speaks_chinese_through_sdl_child);
    RUN(test_stop_silences_at_once_child);
    RUN(test_new_text_cuts_off_the_old_child);
    RUN(test_missing_voice_data_is_reported_child);
    RUN(test_unknown_voice_is_reported_child);
    RUN(test_empty_text_is_refused_child);
    return CHECK_DONE();
}
