# DJTV build. `make` builds everything into build/; see README.md for the other targets.
# Every target that needs the system libraries first runs toolchain/install-deps.sh (fast
# when everything is installed).

BUILD   ?= build
CC      ?= cc
PYTHON  ?= /usr/bin/python3
SANITIZE ?=

# The djtv binary does without FFmpeg: its media engine (MEDIA_PKGS) is djtv-media.so, loaded
# on first use (client/media/module.c). Unit tests and benchmarks link the engine directly.
UI_PKGS     := sdl2 SDL2_ttf SDL2_image libcurl libcjson fontconfig libunibreak espeak-ng sqlite3
MEDIA_PKGS  := sdl2 libavformat libavcodec libavutil libswscale libswresample
CLIENT_PKGS := $(UI_PKGS) $(filter-out sdl2,$(MEDIA_PKGS))
CAST_PKGS   := libavdevice libavformat libavcodec libavutil libswscale libswresample libcurl
SERVER_PKGS := libmicrohttpd gnutls sqlite3 libcjson libsodium libavformat libavcodec libavutil \
               libswscale libswresample

# Evaluated lazily (=), so pkg-config runs only after the deps step has installed it.
CLIENT_CFLAGS = $(shell pkg-config --cflags $(CLIENT_PKGS))
CLIENT_LIBS   = $(shell pkg-config --libs $(CLIENT_PKGS)) -lpthread -lm
UI_LIBS       = $(shell pkg-config --libs $(UI_PKGS)) -lpthread -lm
MEDIA_LIBS    = $(shell pkg-config --libs $(MEDIA_PKGS)) -lpthread -lm
SERVER_CFLAGS = $(shell pkg-config --cflags $(SERVER_PKGS))
SERVER_LIBS   = $(shell pkg-config --libs $(SERVER_PKGS)) -lpthread -lm
CAST_LIBS     = $(shell pkg-config --libs $(CAST_PKGS)) -lpthread -lm

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(SANITIZE) -MMD -MP
LDFLAGS ?=
ALL_LDFLAGS = $(LDFLAGS) $(SANITIZE)

COMMON_SRC := $(wildcard common/*.c)
# The engine's files (FFmpeg's users), the table the module exports, the loader djtv uses.
MEDIA_SRC  := $(addprefix client/media/,audio_out.c catchup.c clock.c decode.c demux.c frameq.c pktq.c \
                player.c source.c video_out.c module_export.c)
LOADER_SRC := client/media/module.c
CLIENT_SRC := $(filter-out client/main.c client/cast/% $(MEDIA_SRC) $(LOADER_SRC),\
                $(shell find client -name '*.c' 2>/dev/null))
CAST_SRC   := $(wildcard client/cast/*.c) client/net/tls.c
SERVER_SRC := $(filter-out server/main.c,$(shell find server -name '*.c' 2>/dev/null))
OBJ = $(BUILD)/obj

COMMON_OBJ := $(COMMON_SRC:%.c=$(OBJ)/%.o)
CLIENT_OBJ := $(CLIENT_SRC:%.c=$(OBJ)/%.o)
MEDIA_OBJ  := $(MEDIA_SRC:%.c=$(OBJ)/pic/%.o)
LOADER_OBJ := $(LOADER_SRC:%.c=$(OBJ)/%.o)
SERVER_OBJ := $(SERVER_SRC:%.c=$(OBJ)/%.o)
CAST_OBJ   := $(CAST_SRC:%.c=$(OBJ)/%.o)

UNIT_COMMON := $(patsubst tests/unit/common/%.c,$(BUILD)/tests/common/%,$(wildcard tests/unit/common/test_*.c))
UNIT_CLIENT := $(patsubst tests/unit/client/%.c,$(BUILD)/tests/client/%,$(wildcard tests/unit/client/test_*.c))
UNIT_SERVER := $(patsubst tests/unit/server/%.c,$(BUILD)/tests/server/%,$(wildcard tests/unit/server/test_*.c))

BINS := $(BUILD)/djtv $(BUILD)/djtv-media.so $(BUILD)/djtv-server $(BUILD)/djtv-cast
DEPS_STAMP := $(BUILD)/.deps-checked

.PHONY: all deps node run test asan valgrind bench clean font format fresh-test
all: $(BINS) $(UNIT_COMMON) $(UNIT_CLIENT) $(UNIT_SERVER)

# Re-check the packages once per build tree and whenever the package list changes.
$(DEPS_STAMP): toolchain/install-deps.sh toolchain/packages.txt
	@mkdir -p $(BUILD)
	@toolchain/install-deps.sh
	@touch $@
deps:
	@toolchain/install-deps.sh

$(OBJ)/common/%.o: common/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icommon -c $< -o $@
$(OBJ)/client/%.o: client/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icommon -Iclient $(CLIENT_CFLAGS) -c $< -o $@
# The engine's objects go into a shared object too: position-independent, in their own folder.
$(OBJ)/pic/client/%.o: client/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -Icommon -Iclient $(CLIENT_CFLAGS) -c $< -o $@
$(OBJ)/server/%.o: server/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icommon -Iserver $(SERVER_CFLAGS) -c $< -o $@

$(BUILD)/libcommon.a: $(COMMON_OBJ)
	@rm -f $@
	ar rcsT $@ $^
$(BUILD)/libclient.a: $(CLIENT_OBJ)
	@rm -f $@
	ar rcsT $@ $^
$(BUILD)/libmedia.a: $(MEDIA_OBJ)
	@rm -f $@
	ar rcsT $@ $^
$(BUILD)/libserver.a: $(SERVER_OBJ)
	@rm -f $@
	ar rcsT $@ $^

# The module takes log_msg and log_get_level from the executable, its one log.
$(BUILD)/djtv: $(OBJ)/client/main.o $(LOADER_OBJ) $(BUILD)/libclient.a $(BUILD)/libcommon.a
	$(CC) $(ALL_LDFLAGS) -Wl,--export-dynamic-symbol=log_msg \
	    -Wl,--export-dynamic-symbol=log_get_level -o $@ $^ $(UI_LIBS)
$(BUILD)/djtv-media.so: $(MEDIA_OBJ)
	$(CC) $(ALL_LDFLAGS) -shared -o $@ $^ $(MEDIA_LIBS)
$(BUILD)/djtv-cast: $(CAST_OBJ) $(BUILD)/libcommon.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CAST_LIBS)
$(BUILD)/djtv-server: $(OBJ)/server/main.o $(BUILD)/libserver.a $(BUILD)/libcommon.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(SERVER_LIBS)

$(BUILD)/tests/common/%: tests/unit/common/%.c $(BUILD)/libcommon.a | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icommon $< -o $@ $(ALL_LDFLAGS) $(BUILD)/libcommon.a -lpthread -lm
$(BUILD)/tests/client/%: tests/unit/client/%.c $(BUILD)/libclient.a $(BUILD)/libmedia.a \
                        $(BUILD)/libcommon.a | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icommon -Iclient $(CLIENT_CFLAGS) $< -o $@ $(ALL_LDFLAGS) \
	    $(BUILD)/libclient.a $(BUILD)/libmedia.a $(BUILD)/libcommon.a $(CLIENT_LIBS)
$(BUILD)/tests/server/%: tests/unit/server/%.c $(BUILD)/libserver.a $(BUILD)/libcommon.a | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icommon -Iserver $(SERVER_CFLAGS) $< -o $@ $(ALL_LDFLAGS) \
	    $(BUILD)/libserver.a $(BUILD)/libcommon.a $(SERVER_LIBS)

# Benchmark programs (tests/bench/*.c) on the client library.
$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libclient.a $(BUILD)/libmedia.a $(BUILD)/libcommon.a \
                  | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icommon -Iclient $(CLIENT_CFLAGS) $< -o $@ $(ALL_LDFLAGS) \
	    $(BUILD)/libclient.a $(BUILD)/libmedia.a $(BUILD)/libcommon.a $(CLIENT_LIBS)

# The dashboard's npm dependencies (ECharts, playwright-core) into node_modules/ (git-ignored).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json | $(DEPS_STAMP)
	@toolchain/npm-ci.sh
	@touch $@
node: $(NODE_STAMP)

# `make run`: certificates, demo data and media in run/, then the server and the TV client.
run: all $(NODE_STAMP)
	@toolchain/run-demo.sh $(BUILD)

# `make test`: unit tests, then integration tests against the real server and client.
test: all $(NODE_STAMP)
	@$(PYTHON) tests/run.py --build $(BUILD)

# `make fresh-test`: HEAD in a pristine Debian 12 root (mmdebstrap, cached a week outside the
# clone), `make test` then the headless `make run` there, as a newcomer would (root only).
# FRESH_CMD='...' runs another command in that root instead.
fresh-test:
	@toolchain/fresh-test.sh $(if $(FRESH_CMD),"$(FRESH_CMD)")

# Same tests on an ASan + UBSan build in build-asan/.
asan:
	@$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	    SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=undefined" test

# Unit tests and the end-to-end client/server run under valgrind memcheck.
valgrind: all
	@$(PYTHON) tests/run.py --build $(BUILD) --valgrind

# Server (check-in storm vs nginx, event delivery), text (first draw of a list of names, font
# memory), playback (djtv vs ffplay, mpv, floor), live (glass-to-glass latency, djtv-cast
# CPU, boxes per live meeting), the township dashboard in
# headless Chromium, then read-aloud (yellow key -> first audio).
bench: all $(BUILD)/bench/text_bench $(NODE_STAMP)
	@$(PYTHON) tests/bench/run.py --build $(BUILD)
	@$(PYTHON) tests/bench/text.py --build $(BUILD)
	@DJTV=$(abspath $(BUILD))/djtv $(PYTHON) tests/bench/playback.py
	@$(PYTHON) tests/bench/tvflows.py --build $(BUILD)
	@$(PYTHON) tests/bench/posters.py --build $(BUILD)
	@DJTV_BUILD=$(abspath $(BUILD)) $(PYTHON) tests/bench/live.py
	@$(PYTHON) tests/bench/dashboard.py --build $(BUILD)
	@DJTV_BUILD=$(abspath $(BUILD)) $(PYTHON) tests/bench/speak.py

# Regenerate the shipped CJK font subset (needs fonttools + fonts-noto-cjk; see fonts/README.md).
font:
	@fonts/make-subset.sh

format:
	@find client server common tests -name '*.[ch]' | xargs clang-format -i

clean:
	rm -rf build build-asan tests/out

-include $(shell find $(BUILD)/obj $(BUILD)/tests -name '*.d' 2>/dev/null)
