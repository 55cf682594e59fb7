#!/usr/bin/env bash
# run-demo.sh BUILD_DIR: what `make run` does after building. Makes run/ with a demo CA and
# server certificate, a demo database and config files (first time only), starts djtv-server
# on 127.0.0.1 and then the TV client: in a window when there is a display, otherwise
# headless with screenshots in run/screenshots/. Stops the server when the client exits.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
run=$top/run
port=${DJTV_PORT:-8443}
mkdir -p "$run"

"$top/toolchain/make-certs.sh" "$run"

# A fresh demo township every run: the demo's live meeting is live again with its publishing
# key at hand (a cadre may have ended it from cadre mode last time, and its recording would
# grow run after run), the demo's dates are relative to today, and the box's offline data
# belongs to the old tokens. (A restarted djtv-cast itself would just go on numbering after the
# broadcast's last segment.) The generated videos below are kept.
rm -rf "$run/djtv.db" "$run/djtv.db-wal" "$run/djtv.db-shm" "$run/boxes.tsv" \
    "$run/accounts.tsv" "$run/publish-keys.tsv" "$run/media/live" "$run/box-data"
echo "run: creating the demo database in $run/djtv.db"
"$build/djtv-server" demo --db "$run/djtv.db" --assets "$top/assets" \
    --boxes-out "$run/boxes.tsv"

# Demo media: a few seconds of generated video (testsrc2 + a tone) and posters beside a copy of
# the committed manifests (assets/demo/media/), imported into run/media/ and served under
# /media/. One video is H.264/AAC (remuxed), one MPEG-4 Part 2/MP3 (transcoded). Made once;
# a re-import finds the media unchanged and only refreshes the items.
content=$run/demo-content
if [ ! -f "$content/.made" ]; then
    echo "run: generating the demo videos and posters in $content"
    mkdir -p "$content"
    ff() { ffmpeg -nostdin -v error -y "$@"; }
    h264() { # OUT FREQ: 6 s, 640x360, key frame every 2 s, H.264/AAC
        ff -f lavfi -i "testsrc2=size=640x360:rate=25" -f lavfi -i "sine=frequency=$2:sample_rate=48000" \
            -t 6 -c:v libx264 -preset veryfast -pix_fmt yuv420p -g 50 -keyint_min 50 -sc_threshold 0 \
            -c:a aac -b:a 64k -ac 2 "$content/$1"
    }
    h264 dangzhang.mp4 440
    h264 dapeng.mp4 660
    ff -f lavfi -i "testsrc2=size=640x360:rate=25" -f lavfi -i "sine=frequency=330:sample_rate=44100" \
        -t 6 -c:v mpeg4 -q:v 5 -c:a libmp3lame -b:a 96k "$content/shuili.avi"
    ff -f lavfi -i "testsrc2=size=640x360" -frames:v 1 "$content/dangzhang.jpg"
    ff -f lavfi -i "color=c=0x1e5aa0:size=640x360" -frames:v 1 "$content/shuili.png"
    ff -f lavfi -i "testsrc=size=640x360" -frames:v 1 "$content/dapeng.jpg"
    touch "$content/.made"
fi
cp "$top"/assets/demo/media/*.json "$content/"
"$build/djtv-server" import "$content" --db "$run/djtv.db" --media "$run/media" --log-level warn

cat > "$run/server.conf" <<CONF
listen = 127.0.0.1
port = $port
cert = $run/server.crt
key = $run/server.key
db = $run/djtv.db
assets = $top/assets
media = $run/media
log-level = info
CONF

# The demo box is the first one in boxes.tsv (a header line comes first).
token=$(awk -F'\t' 'NR == 2 { print $4 }' "$run/boxes.tsv")
cat > "$run/client.conf" <<CONF
server = https://127.0.0.1:$port
ca = $run/ca.pem
token = $token
font = $top/fonts/NotoSansSC-DJTV.otf
data-dir = $run/box-data
log-level = info
CONF
chmod 600 "$run/client.conf"

"$build/djtv-server" --config "$run/server.conf" 2> "$run/server.log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
    if curl -fsS --cacert "$run/ca.pem" "https://127.0.0.1:$port/health" >/dev/null 2>&1; then
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || { echo "run: the server did not start; see $run/server.log" >&2; exit 1; }
    sleep 0.1
done
echo "run: djtv-server is up on https://127.0.0.1:$port (log: $run/server.log)"

# The demo's live meeting gets a real stream: djtv-cast publishes its test pattern (colour
# bars, a tone and the clock) with the key the demo database was made with.
cast_pid=""
key_line=$(awk -F'\t' 'NR == 2 { print $1 "\t" $2 }' "$run/publish-keys.tsv" 2>/dev/null || true)
if [ -n "$key_line" ]; then
    bid=${key_line%%$'\t'*}
    (umask 077 && printf '%s' "${key_line#*$'\t'}" > "$run/publish.key")
    "$build/djtv-cast" --server "https://127.0.0.1:$port" --ca "$run/ca.pem" --broadcast "$bid" \
        --key-file "$run/publish.key" --status-file "$run/cast.json" 2> "$run/cast.log" &
    cast_pid=$!
    # The publisher stops first, so it does not wait for a server that is gone.
    trap 'kill "$cast_pid" 2>/dev/null; wait "$cast_pid" 2>/dev/null || true; kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 1 150); do
        grep -q '"sent":[2-9]' "$run/cast.json" 2>/dev/null && break
        kill -0 "$cast_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "run: djtv-cast is publishing the live meeting (broadcast $bid; log: $run/cast.log)"
else
    echo "run: no publishing key in $run/publish-keys.tsv (a demo database from before live" \
        "broadcasting): delete $run to get the live meeting" >&2
fi

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    echo "run: starting the TV client (arrows move, Enter opens, Esc goes back, Home goes home)"
    "$build/djtv" --config "$run/client.conf"
else
    shots=$run/screenshots
    rm -rf "$shots"
    mkdir -p "$shots"
    cat > "$run/demo.keys" <<KEYS
# "谁在看？" comes over home as soon as home has the household (the demo household has
# several members, and a fresh client remembers no choice): Back keeps everyone watching
wait-screen viewers 20000
shot
BACK
wait-screen home
shot
# 党群直播: the live meeting that djtv-cast publishes plays first
RIGHT
OK
wait-screen section.live
OK
wait-screen player 15000
wait 3000
shot
BACK
wait-screen section.live
BACK
wait-screen home
LEFT
# 党教园地: the newest course is an imported demo video; play it from the server for 2 s
RIGHT 2
OK
wait-screen section.study
OK
wait-screen player
wait 2000
shot
BACK
wait-screen section.study
BACK
wait-screen home
LEFT 2
RIGHT
DOWN
OK
wait-screen section.pioneers
BACK
wait-screen home
KEYS
    echo "run: no display here, so the TV client runs headless with a short key script"
    "$build/djtv" --config "$run/client.conf" --headless --keys "$run/demo.keys" \
        --screenshot-dir "$shots" --dump-ui "$run/ui-dump.jsonl"
    echo "run: screenshots of the TV screen are in $shots/ (the UI dump is $run/ui-dump.jsonl)"
    ls "$shots"
fi
