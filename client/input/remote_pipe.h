/* Key presses read from a FIFO and pushed as SDL key events, the same way a remote's keys
 * arrive: the interactive path (no key script) driven by a test. One key name a line, as
 * SDL_GetKeyFromName knows it ("Down", "Return", "F1", "3"); each becomes a key-down and a
 * key-up. Set DJTV_TEST_REMOTE=FIFO to use it; a box reads its remote through evdev. */
#ifndef DJTV_REMOTE_PIPE_H
#define DJTV_REMOTE_PIPE_H

struct remote_pipe;

/* Reads PATH (a FIFO, made by the caller) on its own thread. NULL on failure (logged). */
struct remote_pipe *remote_pipe_open(const char *path);
/* Stops the thread and closes the FIFO. NULL is fine. */
void remote_pipe_close(struct remote_pipe *rp);

#endif
