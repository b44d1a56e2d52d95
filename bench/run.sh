#!/usr/bin/env bash
# bench/run.sh measures Sourcebook the way issue 7 asks, on this machine, and prints one table.
#
#   bench/run.sh            all four corpus sizes (1×, 10×, 100×, 1000×); 15–25 minutes the
#                           first time (generating 1000× alone takes a minute or two)
#   bench/run.sh --quick    1× and 10× only, shorter load runs and benchmarks: about 3 minutes
#
# Environment (all optional):
#   SOURCEBOOK_BENCH_SCALES  corpus sizes, comma-separated (default 1,10,100,1000); the Go
#                            benchmarks read the same variable
#   BENCH_DURATION           length of each wrk run (default 10s)
#   BENCH_CONNECTIONS        concurrent connections (default 64)
#   BENCH_BENCHTIME          go test -benchtime (default 1s)
#   BENCH_PORT               first of three ports: Sourcebook, the baseline, nginx (default 18080)
#   BENCH_OUT                where raw outputs go (default a new temporary directory)
#   BENCH_SKIP_GO=1          skip the Go benchmarks (load tests only)
#
# What it does: builds the binary and bench/baseline; generates each corpus size once into
# ${TMPDIR:-/tmp}/sourcebook-bench (the same files the Go benchmarks use, so neither generates
# twice); runs the render and search benchmarks; then, per size, measures startup, fetches the
# pages from the running Sourcebook so the baseline and nginx serve byte-identical bodies, and
# loads each server in turn with wrk. Servers and wrk share the machine's cores: run it on an
# otherwise idle machine, and compare ratios rather than absolute req/s across machines.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD

scales=${SOURCEBOOK_BENCH_SCALES:-1,10,100,1000}
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-64}
benchtime=${BENCH_BENCHTIME:-1s}
if [[ ${1:-} == --quick ]]; then
	scales=${SOURCEBOOK_BENCH_SCALES:-1,10}
	duration=${BENCH_DURATION:-5s}
	benchtime=${BENCH_BENCHTIME:-200ms}
elif [[ -n ${1:-} ]]; then
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 2
fi
port=${BENCH_PORT:-18080}
sb_addr=127.0.0.1:$port
base_addr=127.0.0.1:$((port + 1))
nginx_addr=127.0.0.1:$((port + 2))
out=${BENCH_OUT:-$(mktemp -d -t sourcebook-bench-run.XXXXXX)}
mkdir -p "$out"
dbdir=${TMPDIR:-/tmp}/sourcebook-bench
mkdir -p "$dbdir"

log() { printf '%s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------
# wrk and nginx are the only things beyond Go; a fresh machine gets them from Debian.
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
command -v curl >/dev/null || need+=(curl)
command -v sqlite3 >/dev/null || need+=(sqlite3)
if ((${#need[@]})); then
	log "installing ${need[*]}"
	sudo=""
	((EUID == 0)) || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

# --- processes we start, and only those, are stopped on exit -----------------------------
pids=()
stop_all() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	pids=()
}
trap stop_all EXIT
stop() { # stop PID: one server we started
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	local keep=() p
	for p in "${pids[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
	pids=(${keep[@]+"${keep[@]}"})
}

# wait_up URL: poll until the server answers, at most 60 s (1000× runs a quick_check first).
wait_up() {
	local i
	for ((i = 0; i < 6000; i++)); do
		curl -sf -o /dev/null "$1" && return 0
		sleep 0.01
	done
	log "no answer from $1"
	return 1
}

# --- build ------------------------------------------------------------------------------
log "building into $out"
go build -o "$out/sourcebook" ./cmd/sourcebook
go build -o "$out/baseline" ./bench/baseline
sb=$out/sourcebook

# --- corpora ----------------------------------------------------------------------------
# Databases are named like the Go benchmarks name theirs, scale-N-<seed digest>.db, so a
# run of either reuses what the other generated. The digest is read from a throwaway 1×
# database, which takes under a second to make.
"$sb" generate --db "$out/probe.db" --scale 1 >/dev/null
digest=$(sqlite3 "$out/probe.db" 'SELECT substr(digest, 1, 12) FROM corpus_loads LIMIT 1')
rm -f "$out"/probe.db*
IFS=, read -ra scale_list <<<"$scales"
db_for() { echo "$dbdir/scale-$1-$digest.db"; }
for n in "${scale_list[@]}"; do
	db=$(db_for "$n")
	if [[ ! -f $db ]]; then
		log "generating ${n}× (1000× takes a minute or two)"
		rm -f "$db.tmp"*
		"$sb" generate --db "$db.tmp" --scale "$n" >&2
		mv "$db.tmp" "$db"
	fi
done

# --- Go benchmarks ----------------------------------------------------------------------
# Run before the load tests and never beside them: on a small machine they would compete
# for the same cores.
if [[ ${BENCH_SKIP_GO:-} != 1 ]]; then
	log "go test -bench BenchmarkRender (web) and BenchmarkSearch (store) at $scales"
	SOURCEBOOK_BENCH_SCALES=$scales go test -run '^$' -bench BenchmarkRender -benchtime "$benchtime" \
		./web/ | tee "$out/render-bench.txt" | grep -E '^Benchmark' >&2
	SOURCEBOOK_BENCH_SCALES=$scales go test -run '^$' -bench BenchmarkSearch -benchtime "$benchtime" \
		./store/ | tee "$out/search-bench.txt" | grep -E '^Benchmark' >&2
fi

# --- load tests -------------------------------------------------------------------------
# to_ms VALUE: wrk prints latencies as 812.00us, 3.21ms or 1.02s; the table uses ms.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f", n }'
}

# rss_kb PID...: resident set of the processes, summed (nginx has a master and workers).
rss_kb() {
	local total=0 p v
	for p in "$@"; do
		v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
		total=$((total + ${v:-0}))
	done
	echo "$total"
}

rows=()
# load LABEL SCALE SERVER SIZE URL "PIDS" [wrk header args...]: one wrk run, sampling the
# servers' RSS every 100 ms while it runs, and one row of the table.
load() {
	local page=$1 scale=$2 server=$3 size=$4 url=$5 watch=$6
	shift 6
	local f="$out/wrk-$scale-$server-$page.txt"
	# A short warm-up first: the first requests of a run pay for new connections and for
	# whatever the server fills lazily, and are not what we measure.
	wrk -t2 -c"$conns" -d2s "$@" "$url" >/dev/null
	wrk -t2 -c"$conns" -d"$duration" --latency "$@" "$url" >"$f" &
	local wrk_pid=$! peak=0 r
	while kill -0 "$wrk_pid" 2>/dev/null; do
		# shellcheck disable=SC2086 # watch is a list of PIDs
		r=$(rss_kb $watch)
		((r > peak)) && peak=$r
		sleep 0.1
	done
	wait "$wrk_pid"
	local rps p50 p99 errors
	rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$f")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
	errors=$(grep -cE 'Non-2xx|Socket errors' "$f" || true)
	((errors == 0)) || log "warning: $f reports errors or non-2xx answers"
	rows+=("$scale|$page|$server|$size|$rps|$p50|$p99|$((peak / 1024))")
	log "$(printf '%5s× %-14s %-10s %7s B %8s req/s  p50 %7s ms  p99 %7s ms  RSS %4s MB' \
		"$scale" "$page" "$server" "$size" "$rps" "$p50" "$p99" $((peak / 1024)))"
}

size() { stat -c %s "$1"; }

startups=()
for n in "${scale_list[@]}"; do
	db=$(db_for "$n")
	log "== ${n}×: $(du -h "$db" | cut -f1) database"

	# Startup: from exec to the first 200 from /healthz, on an existing database whose file
	# is in the page cache (this is a restart, not a cold boot). Median of three; curl in a
	# tight loop adds a few ms of its own.
	times=()
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		"$sb" serve --db "$db" --addr "$sb_addr" 2>>"$out/serve-$n.log" &
		pid=$!
		pids+=("$pid")
		until curl -sf -o /dev/null "http://$sb_addr/healthz"; do
			kill -0 "$pid" 2>/dev/null || { log "sourcebook exited; see $out/serve-$n.log"; exit 1; }
		done
		times+=($((($(date +%s%N) - t0) / 1000000)))
		stop "$pid"
	done
	startup=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
	startups+=("$n|$startup|${times[*]}")
	log "startup ${times[*]} ms"

	"$sb" serve --db "$db" --addr "$sb_addr" 2>>"$out/serve-$n.log" &
	sb_pid=$!
	pids+=("$sb_pid")
	wait_up "http://$sb_addr/healthz"

	# The bodies the baseline and nginx serve are fetched from Sourcebook itself, so all three
	# send the same bytes: the source page plain and gzipped, and a passage permalink.
	www=$out/www-$n
	mkdir -p "$www"
	curl -sf -o "$www/source.html" "http://$sb_addr/sources/newsweek-putin-guarantees"
	curl -sf -H 'Accept-Encoding: gzip' -o "$www/source.html.gz" "http://$sb_addr/sources/newsweek-putin-guarantees"
	curl -sf -o "$www/passage.html" "http://$sb_addr/sources/ap-witkoff-article5/c7vtk7"
	etag=$(curl -sfI "http://$sb_addr/sources/newsweek-putin-guarantees" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')

	load source "$n" sourcebook "$(size "$www/source.html")" "http://$sb_addr/sources/newsweek-putin-guarantees" "$sb_pid"
	load passage "$n" sourcebook "$(size "$www/passage.html")" "http://$sb_addr/sources/ap-witkoff-article5/c7vtk7" "$sb_pid"
	load source-gzip "$n" sourcebook "$(size "$www/source.html.gz")" "http://$sb_addr/sources/newsweek-putin-guarantees" "$sb_pid" -H 'Accept-Encoding: gzip'
	load source-304 "$n" sourcebook 0 "http://$sb_addr/sources/newsweek-putin-guarantees" "$sb_pid" -H "If-None-Match: $etag"
	stop "$sb_pid"

	# The yardstick: the same bytes from memory through Go's net/http.
	"$out/baseline" --dir "$www" --addr "$base_addr" 2>>"$out/baseline.log" &
	base_pid=$!
	pids+=("$base_pid")
	wait_up "http://$base_addr/source.html"
	load source "$n" baseline "$(size "$www/source.html")" "http://$base_addr/source.html" "$base_pid"
	load passage "$n" baseline "$(size "$www/passage.html")" "http://$base_addr/passage.html" "$base_pid"
	load source-gzip "$n" baseline "$(size "$www/source.html.gz")" "http://$base_addr/source.html.gz" "$base_pid"
	stop "$base_pid"

	# The outer limit: nginx sending the same bytes as static files. It runs in the
	# foreground of its own process (daemon off) so we hold its PID, with every path it
	# writes under our temporary directory: no root-owned paths, no system config.
	ngx=$out/nginx
	mkdir -p "$ngx/tmp"
	user_line=""
	# As root, nginx would hand its workers to "nobody", who cannot read our mktemp dir.
	((EUID == 0)) && user_line="user $(id -un) $(id -gn);"
	cat >"$ngx/nginx.conf" <<-EOF
		$user_line
		daemon off;
		worker_processes auto;
		pid $ngx/nginx.pid;
		error_log $ngx/error.log warn;
		events { worker_connections 1024; }
		http {
		    access_log off;
		    client_body_temp_path $ngx/tmp/body;
		    proxy_temp_path $ngx/tmp/proxy;
		    fastcgi_temp_path $ngx/tmp/fastcgi;
		    uwsgi_temp_path $ngx/tmp/uwsgi;
		    scgi_temp_path $ngx/tmp/scgi;
		    sendfile on;
		    tcp_nopush on;
		    # Go keeps a connection open for any number of requests; so does nginx here.
		    keepalive_requests 1000000;
		    types { text/html html; }
		    default_type text/html;
		    server {
		        listen $nginx_addr;
		        root $www;
		        location ~ \.gz\$ { add_header Content-Encoding gzip; }
		    }
		}
	EOF
	"$nginx_bin" -e "$ngx/error.log" -p "$ngx" -c "$ngx/nginx.conf" &
	ngx_pid=$!
	pids+=("$ngx_pid")
	wait_up "http://$nginx_addr/source.html"
	ngx_watch="$ngx_pid $(pgrep -P "$ngx_pid" | tr '\n' ' ')"
	load source "$n" nginx "$(size "$www/source.html")" "http://$nginx_addr/source.html" "$ngx_watch"
	load passage "$n" nginx "$(size "$www/passage.html")" "http://$nginx_addr/passage.html" "$ngx_watch"
	load source-gzip "$n" nginx "$(size "$www/source.html.gz")" "http://$nginx_addr/source.html.gz" "$ngx_watch"
	stop "$ngx_pid"
done

# --- the table --------------------------------------------------------------------------
# Ratios are to the baseline's req/s for the same page at the same size (for source-304, to
# the full source page from the baseline).
printf '%s\n' "${rows[@]}" >"$out/rows.txt"
{
	echo "| scale | page | server | bytes | req/s | × baseline | p50 ms | p99 ms | p99 × baseline | RSS MB |"
	echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'|' '
		{ row[NR] = $0; if ($3 == "baseline") { rps[$1 "|" $2] = $5; p99[$1 "|" $2] = $7 } }
		END {
			for (i = 1; i <= NR; i++) {
				split(row[i], f, "|")
				key = f[1] "|" (f[2] == "source-304" ? "source" : f[2])
				ratio = (key in rps && rps[key] > 0) ? sprintf("%.2f", f[5] / rps[key]) : "–"
				lat = (key in p99 && p99[key] > 0) ? sprintf("%.2f", f[7] / p99[key]) : "–"
				printf "| %s× | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], ratio, f[6], f[7], lat, f[8]
			}
		}' "$out/rows.txt"
} | tee "$out/table.md"

echo
echo "Startup, exec to first 200 on an existing database (median of 3; all three in brackets):"
for s in "${startups[@]}"; do
	IFS='|' read -r n ms all <<<"$s"
	printf '  %5s×  %5s ms  [%s]\n' "$n" "$ms" "$all"
done | tee "$out/startup.txt"

echo
echo "Revalidation (If-None-Match matching) against the full source page, req/s:"
awk -F'|' '$3 == "sourcebook" && $2 == "source" { full[$1] = $5 }
	$3 == "sourcebook" && $2 == "source-304" { n304[$1] = $5 }
	END { for (s in full) if (s in n304) printf "  %5s×  %.1f× faster (%s vs %s req/s)\n", s, n304[s] / full[s], n304[s], full[s] }' \
	"$out/rows.txt" | sort -n | tee "$out/revalidation.txt"

if [[ -f $out/render-bench.txt ]]; then
	echo
	echo "Uncached render of the largest seed source page (BenchmarkRender, p50 ms):"
	awk '/^BenchmarkRender\/.*\/source-[0-9]+ / { for (i = 1; i <= NF; i++) if ($(i + 1) == "p50-ms") { split($1, a, "/"); printf "  %s  %s ms\n", a[2], $i } }' \
		"$out/render-bench.txt" | tee "$out/render-source.txt"
fi
echo
echo "Raw outputs: $out"
