#!/usr/bin/env bash
# bench/writes.sh measures whether writes stall reads: readers' req/s
# and p99 on the largest source page and a passage while an editor saves claims, against
# the same pages with no writes and against the baseline serving the same bytes.
#
#   bench/writes.sh        the seed corpus; about two minutes
#
# Every save bumps the data version, which empties the render cache: the next reader of
# each page renders it again (once: readers arriving meanwhile wait for that rendering).
# Rows: no writes; an editor saving once a second (a busy editor); an editor saving as fast
# as the server answers (the worst case). The saves are real: signed in, through the admin
# form, each a transaction committed before its 303.
#
# Environment: BENCH_DURATION (10s), BENCH_CONNECTIONS (64), BENCH_PORT (18090, and the two
# after it), BENCH_OUT (a new temporary directory).
set -euo pipefail

cd "$(dirname "$0")/.."
[[ -z ${1:-} ]] || {
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 2
}
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-64}
port=${BENCH_PORT:-18090}
sb_addr=127.0.0.1:$port
base_addr=127.0.0.1:$((port + 1))
out=${BENCH_OUT:-$(mktemp -d -t sourcebook-bench-writes.XXXXXX)}
mkdir -p "$out"

source bench/lib.sh
ensure_tools

build_binaries
sb=$out/sourcebook
db=$out/writes.db
email=bench@example.org
password="a long enough password for the bench"
printf '%s\n' "$password" | "$sb" user add --db "$db" --email "$email" --role editor >/dev/null 2>>"$out/user.log"

"$sb" serve --db "$db" --addr "$sb_addr" 2>>"$out/serve.log" &
sb_pid=$!
started "$sb_pid"
wait_up "http://$sb_addr/healthz"

source_url=http://$sb_addr/sources/newsweek-putin-guarantees
passage_url=http://$sb_addr/sources/ap-witkoff-article5/c7vtk7
www=$out/www
mkdir -p "$www"
curl -sf -o "$www/source.html" "$source_url"
curl -sf -o "$www/passage.html" "$passage_url"

jar=$out/cookies
sign_in "$sb_addr" "$email" "$password" "$jar"

# editor PAUSE: save claims in a loop, PAUSE seconds apart, logging each save's status and
# time; stopped by the caller.
editor() {
	local i=0
	while :; do
		i=$((i + 1))
		save_claim "$sb_addr" "$jar" "Bench save $BASHPID-$i during the load." >>"$out/saves-$1.txt" || true
		sleep "$1"
	done
}

# with_editor PAUSE PAGE URL: one load row while an editor saves every PAUSE seconds.
with_editor() {
	editor "$1" &
	local ed=$!
	load "$2" 1 sourcebook "$(size "$www/${2%%-*}.html")" "$3" "$sb_pid"
	kill "$ed" 2>/dev/null || true
	wait "$ed" 2>/dev/null || true
}

load source 1 sourcebook "$(size "$www/source.html")" "$source_url" "$sb_pid"
load passage 1 sourcebook "$(size "$www/passage.html")" "$passage_url" "$sb_pid"
with_editor 1 source-saves-1s "$source_url"
with_editor 1 passage-saves-1s "$passage_url"
with_editor 0 source-saves-nonstop "$source_url"
stop "$sb_pid"

"$out/baseline" --dir "$www" --addr "$base_addr" 2>>"$out/baseline.log" &
base_pid=$!
started "$base_pid"
wait_up "http://$base_addr/source.html"
load source 1 baseline "$(size "$www/source.html")" "http://$base_addr/source.html" "$base_pid"
load passage 1 baseline "$(size "$www/passage.html")" "http://$base_addr/passage.html" "$base_pid"
stop "$base_pid"

echo
print_table
echo
echo "Saves during the load (status, count, median and slowest seconds):"
for f in "$out"/saves-*.txt; do
	codes=$(awk '{print $1}' "$f" | sort | uniq -c | awk '{printf " %s×%s", $2, $1}')
	median=$(awk '{print $2}' "$f" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
	slowest=$(awk '{print $2}' "$f" | sort -n | tail -n 1)
	printf '  %-14s%s, median %s s, slowest %s s\n' "$(basename "$f" .txt)" "$codes" "$median" "$slowest"
done
echo
echo "Raw outputs: $out"
