#!/usr/bin/env bash
# bench/run.sh measures Sourcebook against its performance targets (docs/performance.md), on
# this machine, and prints one table.
#
#   bench/run.sh            all four corpus sizes (1×, 10×, 100×, 1000×); about 25 minutes, more the
#                           first time (generating 1000× alone takes a minute or two)
#   bench/run.sh --quick    1× and 10× only, shorter load runs and benchmarks: about 5 minutes
#
# Environment (all optional):
#   SOURCEBOOK_BENCH_SCALES  corpus sizes, comma-separated (default 1,10,100,1000); the Go
#                            benchmarks read the same variable
#   BENCH_DURATION           length of each wrk run (default 10s)
#   BENCH_CONNECTIONS        concurrent connections (default 64)
#   BENCH_BENCHTIME          go test -benchtime (default 1s)
#   BENCH_ROUNDS             rounds of the paired runs against the baselines (default 4)
#   BENCH_PAIR_DURATION      length of each paired wrk run (default 4s)
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
#
# Rows: source (the largest seed source page), passage (a passage permalink), source-gzip
# (the same page with Accept-Encoding: gzip), source-304 (a revalidation whose ETag
# matches), source-uncached (a new query string on every request, so Sourcebook's render
# cache never answers and every page is rendered from the database: bench/uncached.lua).
# The baseline also serves the source and passage with the header Sourcebook sent them with
# (server baseline-headers); the ratios in the table are to the plain baseline. Besides the
# table, the source and passage are measured in paired rounds, Sourcebook and the baseline
# back to back, whose median ratio is the steadier figure on a shared machine.
# docs/performance.md has a run of it and what the figures mean.
set -euo pipefail

cd "$(dirname "$0")/.."

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

# shellcheck source=bench/lib.sh
source bench/lib.sh
ensure_tools
nginx_bin=$(nginx_bin)

# --- build ------------------------------------------------------------------------------
build_binaries
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

# paired PAGE OURS PLAIN SAME: BENCH_ROUNDS rounds, each a short wrk run on Sourcebook
# (OURS), on the baseline serving the same body (PLAIN) and on the baseline serving the same
# body with the header Sourcebook sent (SAME), in an order reversed every other round; and
# the ratios of Sourcebook's req/s to each baseline's in each round. The table's rows are a
# run of each server in turn, minutes apart; on a shared machine its speed drifts in
# between, by as much as the targets' margin. Back to back, the servers see the same
# moment, and the median of the rounds' ratios is the figure to compare with 0.8.
rounds=${BENCH_ROUNDS:-4}
pair_duration=${BENCH_PAIR_DURATION:-4s}
pairs=()
rps_of() { wrk -t2 -c"$conns" -d"$pair_duration" "$1" | awk '/^Requests\/sec:/ {printf "%.0f", $2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
paired() {
	local page=$1 ours=$2 plain=$3 same=$4 to_plain=() to_same=() i a b c u
	for u in "$ours" "$plain" "$same"; do wrk -t2 -c"$conns" -d1s "$u" >/dev/null; done
	for ((i = 0; i < rounds; i++)); do
		if ((i % 2 == 0)); then
			a=$(rps_of "$ours") b=$(rps_of "$plain") c=$(rps_of "$same")
		else
			c=$(rps_of "$same") b=$(rps_of "$plain") a=$(rps_of "$ours")
		fi
		to_plain+=("$(ratio "$a" "$b")") to_same+=("$(ratio "$a" "$c")")
	done
	pairs+=("$n|$page|baseline|${to_plain[*]}" "$n|$page|baseline-headers|${to_same[*]}")
	log "$(printf '%5s× %-8s paired: × baseline %s; × baseline-headers %s' "$n" "$page" "${to_plain[*]}" "${to_same[*]}")"
}

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
		started "$pid"
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
	started "$sb_pid"
	wait_up "http://$sb_addr/healthz"
	wait_idle "$sb_pid"

	# The bodies the baseline and nginx serve are fetched from Sourcebook itself, so all three
	# send the same bytes: the source page plain and gzipped, and a passage permalink.
	www=$out/www-$n
	mkdir -p "$www"
	curl -sf -o "$www/source.html" "http://$sb_addr/sources/newsweek-putin-guarantees"
	curl -sf -H 'Accept-Encoding: gzip' -o "$www/source.html.gz" "http://$sb_addr/sources/newsweek-putin-guarantees"
	curl -sf -o "$www/passage.html" "http://$sb_addr/sources/ap-witkoff-article5/c7vtk7"
	# The same two pages with the header Sourcebook sent them with (bench/baseline reads
	# NAME.headers): the baseline-headers rows separate what our code costs from what the
	# header's ten fields cost the HTTP stack and wrk.
	curl -sf -D "$www/source-headers.html.headers" -o "$www/source-headers.html" "http://$sb_addr/sources/newsweek-putin-guarantees"
	curl -sf -D "$www/passage-headers.html.headers" -o "$www/passage-headers.html" "http://$sb_addr/sources/ap-witkoff-article5/c7vtk7"
	etag=$(curl -sfI "http://$sb_addr/sources/newsweek-putin-guarantees" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')

	load source "$n" sourcebook "$(size "$www/source.html")" "http://$sb_addr/sources/newsweek-putin-guarantees" "$sb_pid"
	load passage "$n" sourcebook "$(size "$www/passage.html")" "http://$sb_addr/sources/ap-witkoff-article5/c7vtk7" "$sb_pid"
	load source-gzip "$n" sourcebook "$(size "$www/source.html.gz")" "http://$sb_addr/sources/newsweek-putin-guarantees" "$sb_pid" -H 'Accept-Encoding: gzip'
	load source-304 "$n" sourcebook 0 "http://$sb_addr/sources/newsweek-putin-guarantees" "$sb_pid" -H "If-None-Match: $etag"
	# Every request with its own query string: the render cache never answers, so this is
	# the rate of pages rendered from the database (after a publish, or for pages too large
	# to cache).
	load source-uncached "$n" sourcebook "$(size "$www/source.html")" "http://$sb_addr/sources/newsweek-putin-guarantees" "$sb_pid" -s bench/uncached.lua

	# The yardstick: the same bytes from memory through Go's net/http.
	"$out/baseline" --dir "$www" --addr "$base_addr" 2>>"$out/baseline.log" &
	base_pid=$!
	started "$base_pid"
	wait_up "http://$base_addr/source.html"
	paired source "http://$sb_addr/sources/newsweek-putin-guarantees" "http://$base_addr/source.html" "http://$base_addr/source-headers.html"
	paired passage "http://$sb_addr/sources/ap-witkoff-article5/c7vtk7" "http://$base_addr/passage.html" "http://$base_addr/passage-headers.html"
	stop "$sb_pid"
	load source "$n" baseline "$(size "$www/source.html")" "http://$base_addr/source.html" "$base_pid"
	load passage "$n" baseline "$(size "$www/passage.html")" "http://$base_addr/passage.html" "$base_pid"
	load source-gzip "$n" baseline "$(size "$www/source.html.gz")" "http://$base_addr/source.html.gz" "$base_pid"
	load source "$n" baseline-headers "$(size "$www/source.html")" "http://$base_addr/source-headers.html" "$base_pid"
	load passage "$n" baseline-headers "$(size "$www/passage.html")" "http://$base_addr/passage-headers.html" "$base_pid"
	stop "$base_pid"

	# The outer limit: nginx sending the same bytes as static files. It runs in the
	# foreground of its own process (daemon off) so we hold its PID, with every path it
	# writes under our temporary directory: no root-owned paths, no system config.
	ngx=$out/nginx
	mkdir -p "$ngx/tmp"
	cat >"$ngx/nginx.conf" <<-EOF
		$(nginx_user_line)
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
		    # No tcp_nopush: with it, a 64 KB page waits on a delayed ACK now and then,
		    # which put a constant 41 ms at the p99 of every run.
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
	started "$ngx_pid"
	wait_up "http://$nginx_addr/source.html"
	ngx_watch="$ngx_pid $(pgrep -P "$ngx_pid" | tr '\n' ' ')"
	load source "$n" nginx "$(size "$www/source.html")" "http://$nginx_addr/source.html" "$ngx_watch"
	load passage "$n" nginx "$(size "$www/passage.html")" "http://$nginx_addr/passage.html" "$ngx_watch"
	load source-gzip "$n" nginx "$(size "$www/source.html.gz")" "http://$nginx_addr/source.html.gz" "$ngx_watch"
	stop "$ngx_pid"
done

# --- the table --------------------------------------------------------------------------
print_table | tee "$out/table.md"
echo
echo "Startup, exec to first 200 on an existing database (median of 3; all three in brackets):"
for s in "${startups[@]}"; do
	IFS='|' read -r n ms all <<<"$s"
	printf '  %5s×  %5s ms  [%s]\n' "$n" "$ms" "$all"
done | tee "$out/startup.txt"

echo
echo "Revalidation (If-None-Match matching) against the full source page from the render cache,"
echo "and against the page rendered from the database, req/s:"
awk -F'|' '$3 == "sourcebook" && $2 == "source" { full[$1] = $5 }
	$3 == "sourcebook" && $2 == "source-uncached" { uncached[$1] = $5 }
	$3 == "sourcebook" && $2 == "source-304" { n304[$1] = $5 }
	END { for (s in full) if (s in n304) printf "  %5s×  %.1f× the cached page (%s vs %s), %.0f× the rendered one (vs %s)\n", s, n304[s] / full[s], n304[s], full[s], n304[s] / uncached[s], uncached[s] }' \
	"$out/rows.txt" | sort -n | tee "$out/revalidation.txt"

echo
echo "Paired with the baselines, back to back ($rounds rounds of $pair_duration each; Sourcebook's req/s over"
echo "the baseline's in each round, and the median):"
for p in "${pairs[@]}"; do
	IFS='|' read -r n page against ratios <<<"$p"
	# shellcheck disable=SC2086 # ratios is a list
	median=$(printf '%s\n' $ratios | sort -n | awk '{a[NR] = $1} END {printf "%.2f", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
	printf '  %5s×  %-8s × %-17s %s   median %s\n' "$n" "$page" "$against" "$ratios" "$median"
done | tee "$out/paired.txt"

echo
echo "Against a baseline sending the same header as well as the same body (baseline-headers), req/s:"
awk -F'|' '$3 == "sourcebook" && ($2 == "source" || $2 == "passage") { ours[$1 "|" $2] = $5 }
	$3 == "baseline-headers" { theirs[$1 "|" $2] = $5 }
	END { for (k in ours) if (k in theirs) { split(k, f, "|"); printf "  %5s×  %-8s %.2f× (%s vs %s)\n", f[1], f[2], ours[k] / theirs[k], ours[k], theirs[k] } }' \
	"$out/rows.txt" | sort -n | tee "$out/same-headers.txt"

if [[ -f $out/render-bench.txt ]]; then
	echo
	echo "Uncached render of the largest seed source page (BenchmarkRender, p50 ms): its text kept"
	echo "from before (as after a write elsewhere), and cold (as after a write to the source itself):"
	awk '/^BenchmarkRender\/.*\/source(-cold)?-[0-9]+ / { for (i = 1; i <= NF; i++) if ($(i + 1) == "p50-ms") { split($1, a, "/"); sub(/-[0-9]+$/, "", a[4]); printf "  %s  %-12s %s ms\n", a[2], a[4], $i } }' \
		"$out/render-bench.txt" | tee "$out/render-source.txt"
fi
echo
echo "Raw outputs: $out"
