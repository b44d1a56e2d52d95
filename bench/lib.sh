# shellcheck shell=bash
# bench/lib.sh: what bench/run.sh and bench/proxy.sh share. Source it; it defines functions
# and the pids array, and sets a trap that stops, by PID, the servers the script started.
# The sourcing script sets out (raw outputs), conns and duration (wrk) before calling load.
# shellcheck disable=SC2154 # out, conns and duration come from the sourcing script

log() { printf '%s\n' "$*" >&2; }

# ensure_tools: wrk and nginx are the only things the benchmarks need beyond Go; a fresh
# Debian machine gets them (and curl, sqlite3) from its package archive.
ensure_tools() {
	local need=()
	command -v wrk >/dev/null || need+=(wrk)
	command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
	command -v curl >/dev/null || need+=(curl)
	command -v sqlite3 >/dev/null || need+=(sqlite3)
	((${#need[@]})) || return 0
	log "installing ${need[*]}"
	local sudo=""
	((EUID == 0)) || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
}
nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

# build_binaries: sourcebook and the baseline, built into $out.
build_binaries() {
	log "building into $out"
	go build -o "$out/sourcebook" ./cmd/sourcebook
	go build -o "$out/baseline" ./bench/baseline
}

# nginx_user_line: as root, nginx hands its workers to "nobody", who cannot read a mktemp
# directory; keep them as the current user instead. As anyone else, say nothing.
nginx_user_line() {
	if ((EUID == 0)); then echo "user $(id -un) $(id -gn);"; fi
}

# Processes we start, and only those, are stopped on exit.
pids=()
stop_all() {
	local p
	for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
	for p in ${pids[@]+"${pids[@]}"}; do wait "$p" 2>/dev/null || true; done
	pids=()
}
trap stop_all EXIT
started() { pids+=("$1"); } # started PID: remember a server for stop_all
stop() {                    # stop PID: stop one server we started, and forget it
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	local keep=() p
	for p in "${pids[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
	pids=(${keep[@]+"${keep[@]}"})
}

# wait_up URL: poll until the server answers, at most 60 s (at 1000× startup runs a
# quick_check over half a gigabyte first).
wait_up() {
	local i
	for ((i = 0; i < 6000; i++)); do
		curl -sf -o /dev/null "$1" && return 0
		sleep 0.01
	done
	log "no answer from $1"
	return 1
}

size() { stat -c %s "$1"; }

# wait_idle PID: wait (at most 30 s) until a server has stopped working on its own: a large
# database is integrity-checked in the background after serving starts, which would
# otherwise be measured as a slow server. Idle is under a tenth of a core for half a second.
wait_idle() {
	local i a b
	for ((i = 0; i < 60; i++)); do
		a=$(cpu_of "$1")
		sleep 0.5
		b=$(cpu_of "$1")
		(((b - a) * 10 < $(getconf CLK_TCK) / 2)) && return 0
	done
	log "$1 is still busy after 30 s; measuring anyway"
}

# On a shared machine a busy neighbour makes a server look slow. Each run therefore counts
# the CPU time spent by everything other than wrk and the servers under test, as a share of
# all cores over the run ("others %" in the table); a row with a large share is pessimistic.
# Interrupt and softirq time is left out: loopback networking lands there, and most of it is
# the benchmark's own.
cpu_busy() { awk '/^cpu / {print $2 + $3 + $4}' /proc/stat; } # clock ticks
# cpu_self: this script and the children it has waited for (wrk, awk, curl...), in ticks.
cpu_self() { awk '{print $14 + $15 + $16 + $17}' "/proc/$$/stat"; }
cpu_of() {                                                                # cpu_of PID...: ticks
	local total=0 p t
	for p in "$@"; do
		t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
		total=$((total + ${t:-0}))
	done
	echo "$total"
}

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
# load PAGE SCALE SERVER SIZE URL "PIDS" [wrk args...]: one measured wrk run, sampling the
# servers' RSS every 100 ms while it runs; appends one row to rows and prints it as it goes.
# When others used more than BENCH_MAX_OTHERS % of the CPU during the run (default 10), it
# runs again, up to BENCH_RETRIES more times (default 2), and keeps the quietest run.
load() {
	local page=$1 scale=$2 server=$3 size=$4 url=$5 watch=$6
	shift 6
	local f="$out/wrk-$scale-$server-$page.txt"
	# A short warm-up first: the first requests of a run pay for new connections and for
	# whatever the server fills lazily, and are not what we measure.
	wrk -t2 -c"$conns" -d2s "$@" "$url" >/dev/null
	local try best_others=1000 best_peak=0
	for ((try = 0; try <= ${BENCH_RETRIES:-2}; try++)); do
		measure "$f.try" "$url" "$watch" "$@"
		if ((others < best_others)); then
			best_others=$others best_peak=$peak
			mv "$f.try" "$f"
		fi
		((best_others > ${BENCH_MAX_OTHERS:-10})) || break
		log "  others used ${others}% of the CPU during the run; again"
	done
	rm -f "$f.try"
	local rps p50 p99
	rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$f")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
	# wrk counts 4xx/5xx and socket errors; a run that had any is not a fair figure.
	if grep -qE 'Non-2xx|Socket errors' "$f"; then log "warning: errors in $f"; fi
	rows+=("$scale|$page|$server|$size|$rps|$p50|$p99|$((best_peak / 1024))|$best_others")
	log "$(printf '%5s× %-14s %-13s %7s B %8s req/s  p50 %7s ms  p99 %7s ms  RSS %4s MB  others %s%%' \
		"$scale" "$page" "$server" "$size" "$rps" "$p50" "$p99" $((best_peak / 1024)) "$best_others")"
}

# measure FILE URL "PIDS" [wrk args...]: one wrk run into FILE; sets peak (the servers' RSS,
# KiB) and others (the CPU share used by everything else, %).
measure() {
	local f=$1 url=$2 watch=$3
	shift 3
	local busy0 ours0 self0 t0
	# shellcheck disable=SC2086 # watch is a list of PIDs
	busy0=$(cpu_busy) ours0=$(cpu_of $watch) self0=$(cpu_self) t0=$(date +%s%N)
	wrk -t2 -c"$conns" -d"$duration" --latency "$@" "$url" >"$f" &
	local wrk_pid=$! r
	peak=0
	while kill -0 "$wrk_pid" 2>/dev/null; do
		# shellcheck disable=SC2086
		r=$(rss_kb $watch)
		((r > peak)) && peak=$r
		sleep 0.1
	done
	wait "$wrk_pid"
	local ticks
	ticks=$((($(date +%s%N) - t0) * $(nproc) * $(getconf CLK_TCK) / 1000000000))
	# shellcheck disable=SC2086
	others=$((($(cpu_busy) - busy0 - ($(cpu_of $watch) - ours0) - ($(cpu_self) - self0)) * 100 / (ticks > 0 ? ticks : 1)))
	((others >= 0)) || others=0
}

# print_table: the rows as one Markdown table. Ratios are to the baseline's req/s and p99
# for the same page at the same scale (a 304 or an uncached render is compared with the
# full page).
print_table() {
	printf '%s\n' "${rows[@]}" >"$out/rows.txt"
	echo "| scale | page | server | bytes | req/s | × baseline | p50 ms | p99 ms | p99 × baseline | RSS MB | others % |"
	echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'|' '
		{ row[NR] = $0; if ($3 == "baseline") { rps[$1 "|" $2] = $5; p99[$1 "|" $2] = $7 } }
		END {
			for (i = 1; i <= NR; i++) {
				split(row[i], f, "|")
				page = f[2]
				sub(/-(304|uncached|saves-.*)$/, "", page)
				key = f[1] "|" page
				ratio = (key in rps && rps[key] > 0) ? sprintf("%.2f", f[5] / rps[key]) : "–"
				lat = (key in p99 && p99[key] > 0) ? sprintf("%.2f", f[7] / p99[key]) : "–"
				printf "| %s× | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], ratio, f[6], f[7], lat, f[8], f[9]
			}
		}' "$out/rows.txt"
}

# sign_in ADDR EMAIL PASSWORD JAR: signs an editor in through the admin form, keeping the
# session in the cookie jar JAR; fails unless the server answers 303.
sign_in() {
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' -c "$4" -b "$4" \
		--data-urlencode "email=$2" --data-urlencode "password=$3" "http://$1/admin/login")
	[[ $code == 303 ]] || {
		log "sign-in at $1 answered $code, not 303"
		return 1
	}
}

# save_claim ADDR JAR STATEMENT: saves a claim through the admin form, quoting "NEW YORK" in
# the first passage of the AP report (a real save: a transaction committed before its 303);
# prints the status and the seconds it took.
save_claim() {
	curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -b "$2" \
		--data-urlencode "block=c7vtk7" --data-urlencode "quote=NEW YORK" \
		--data-urlencode "statement=$3" --data-urlencode "kind=quote" --data-urlencode "stance-us-role=for" \
		"http://$1/admin/sources/ap-witkoff-article5/claims"
}
