#!/usr/bin/env bash
# bench/proxy.sh runs the layout of docs/scaling.md on this machine and measures it with
# the same wrk runs as bench/run.sh: nginx (bench/nginx-proxy.conf) caching in front of two
# read-only Sourcebook processes, each serving its own copy of the database.
#
#   bench/proxy.sh          the seed corpus (1×); about 3 minutes
#
# Environment (all optional):
#   PROXY_SCALE        corpus size to serve (default 1); a generated database from
#                      ${TMPDIR:-/tmp}/sourcebook-bench is used, made if missing
#   BENCH_DURATION     length of each wrk run (default 10s)
#   BENCH_CONNECTIONS  concurrent connections (default 64)
#   BENCH_PORT         first of six ports (default 18090): proxy, proxy without cache,
#                      backend 1, backend 2, baseline, the writable primary
#   BENCH_OUT          where raw outputs go (default a new temporary directory)
#
# Everything runs on one machine, so the backends, nginx and wrk share its cores: the point
# is the shape of the figures (what the cache saves, what a backend costs), not the req/s a
# fleet of hosts would reach.
set -euo pipefail

cd "$(dirname "$0")/.."

scale=${PROXY_SCALE:-1}
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-64}
port=${BENCH_PORT:-18090}
proxy_addr=127.0.0.1:$port
nocache_addr=127.0.0.1:$((port + 1))
backend1=127.0.0.1:$((port + 2))
backend2=127.0.0.1:$((port + 3))
base_addr=127.0.0.1:$((port + 4))
out=${BENCH_OUT:-$(mktemp -d -t sourcebook-proxy.XXXXXX)}
mkdir -p "$out"
dbdir=${TMPDIR:-/tmp}/sourcebook-bench
mkdir -p "$dbdir"

# shellcheck source=bench/lib.sh
source bench/lib.sh
ensure_tools

build_binaries
sb=$out/sourcebook

# The database the copies are made from: the generated one bench/run.sh and the Go
# benchmarks share, named by the seed digest read from a throwaway 1× database.
"$sb" generate --db "$out/probe.db" --scale 1 >/dev/null
digest=$(sqlite3 "$out/probe.db" 'SELECT substr(digest, 1, 12) FROM corpus_loads LIMIT 1')
rm -f "$out"/probe.db*
db=$dbdir/scale-$scale-$digest.db
if [[ ! -f $db ]]; then
	log "generating ${scale}×"
	"$sb" generate --db "$db.tmp" --scale "$scale" >&2
	mv "$db.tmp" "$db"
fi

# One copy per backend, made with `sourcebook backup` (VACUUM INTO, consistent even while
# the source is being served and written). Each backend opens its copy read-only: it cannot
# write, so the copies stay identical, and so do the ETags they give (data version + build).
backend_pids=()
for i in 1 2; do
	copy=$out/backend-$i.db
	"$sb" backup --db "$db" "$copy" >"$out/backup-$i.log" 2>&1
	addr_var=backend$i
	"$sb" serve --read-only --db "$copy" --addr "${!addr_var}" 2>>"$out/backend-$i.log" &
	backend_pids+=($!)
	started "$!"
done
wait_up "http://$backend1/healthz"
wait_up "http://$backend2/healthz"
for p in "${backend_pids[@]}"; do wait_idle "$p"; done

page=/sources/newsweek-putin-guarantees
passage=/sources/ap-witkoff-article5/c7vtk7
etag1=$(curl -sfI "http://$backend1$page" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
etag2=$(curl -sfI "http://$backend2$page" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
if [[ $etag1 != "$etag2" ]]; then
	log "the backends give different ETags ($etag1, $etag2): a revalidation would miss"
	exit 1
fi

# The same bytes for the baseline, fetched from a backend.
www=$out/www
mkdir -p "$www"
curl -sf -o "$www/source.html" "http://$backend1$page"
curl -sf -H 'Accept-Encoding: gzip' -o "$www/source.html.gz" "http://$backend1$page"
curl -sf -o "$www/passage.html" "http://$backend1$passage"

ngx=$out/nginx
mkdir -p "$ngx/tmp" "$ngx/cache"
user_sed='/^user @USER@;/d'
((EUID == 0)) && user_sed="s/@USER@/$(id -un) $(id -gn)/"
sed -e "$user_sed" -e "s|@WORK@|$ngx|g" -e "s|@LISTEN@|$proxy_addr|" \
	-e "s|@LISTEN_NOCACHE@|$nocache_addr|" -e "s|@BACKEND1@|$backend1|" -e "s|@BACKEND2@|$backend2|" \
	bench/nginx-proxy.conf >"$ngx/nginx.conf"
"$(nginx_bin)" -e "$ngx/error.log" -p "$ngx" -c "$ngx/nginx.conf" &
ngx_pid=$!
started "$ngx_pid"
wait_up "http://$proxy_addr/healthz"
ngx_watch="$ngx_pid $(pgrep -P "$ngx_pid" | tr '\n' ' ')"

# Show that the cache works before measuring it: a miss, then a hit; once the entry has
# expired (nginx counts whole seconds, so 1 s of validity means up to 2), the next request
# gets the STALE copy while a background request revalidates it with If-None-Match, and the
# origin's 304 makes it a HIT again.
x_cache() { curl -s -o /dev/null -D - "http://$proxy_addr$page" | awk -F': ' 'tolower($1) == "x-cache" {print $2}' | tr -d '\r'; }
seen="$(x_cache) $(x_cache)"
sleep 2.1
seen="$seen $(x_cache)"
sleep 0.2
seen="$seen $(x_cache)"
log "X-Cache of four requests (two, a pause, two): $seen"

watch_all="$ngx_watch ${backend_pids[*]}"
load source "$scale" proxy "$(size "$www/source.html")" "http://$proxy_addr$page" "$watch_all"
load passage "$scale" proxy "$(size "$www/passage.html")" "http://$proxy_addr$passage" "$watch_all"
load source-gzip "$scale" proxy "$(size "$www/source.html.gz")" "http://$proxy_addr$page" "$watch_all" -H 'Accept-Encoding: gzip'
load source-304 "$scale" proxy 0 "http://$proxy_addr$page" "$watch_all" -H "If-None-Match: $etag1"
load source "$scale" proxy-nocache "$(size "$www/source.html")" "http://$nocache_addr$page" "$watch_all"
load source-304 "$scale" proxy-nocache 0 "http://$nocache_addr$page" "$watch_all" -H "If-None-Match: $etag1"
load source "$scale" one-backend "$(size "$www/source.html")" "http://$backend1$page" "${backend_pids[0]}"

# A publish, end to end: an editor saves a claim on a writable primary; the replicas are
# refreshed the way docs/scaling.md says (a `sourcebook backup` copy each, the backend
# restarted on it, one at a time); then the proxy is polled until the passage page shows
# the claim. nginx keeps a page for 1 s counted in whole seconds, so it must show within 2 s
# of the last replica's restart.
primary=$out/primary.db
primary_addr=127.0.0.1:$((port + 5))
"$sb" backup --db "$db" "$primary" >"$out/backup-primary.log" 2>&1
printf '%s\n' "a long enough password for the bench" |
	"$sb" user add --db "$primary" --email bench@example.org --role editor >/dev/null 2>>"$out/user.log"
"$sb" serve --db "$primary" --addr "$primary_addr" 2>>"$out/primary.log" &
primary_pid=$!
started "$primary_pid"
wait_up "http://$primary_addr/healthz"
curl -s -o /dev/null "http://$proxy_addr$passage" # the old page, in nginx's cache
statement="Published through the proxy at $(date +%s%N)."
sign_in "$primary_addr" bench@example.org "a long enough password for the bench" "$out/cookies"
read -r code _ < <(save_claim "$primary_addr" "$out/cookies" "$statement")
[[ $code == 303 ]] || {
	log "the save on the primary answered $code"
	exit 1
}
for i in 1 2; do
	stop "${backend_pids[$((i - 1))]}"
	"$sb" backup --db "$primary" "$out/backend-$i.new.db" >>"$out/backup-$i.log" 2>&1
	mv "$out/backend-$i.new.db" "$out/backend-$i.db"
	addr_var=backend$i
	"$sb" serve --read-only --db "$out/backend-$i.db" --addr "${!addr_var}" 2>>"$out/backend-$i.log" &
	backend_pids[$((i - 1))]=$!
	started "$!"
	wait_up "http://${!addr_var}/healthz"
done
refreshed=$(date +%s%N)
shown=""
for ((i = 0; i < 100; i++)); do
	if curl -s "http://$proxy_addr$passage" | grep -qF "$statement"; then
		shown=$((($(date +%s%N) - refreshed) / 1000000))
		break
	fi
	sleep 0.05
done
if [[ -z $shown ]]; then
	log "the publish did not show through the proxy within 5 s of refreshing the replicas"
	exit 1
fi
log "a publish showed through the proxy ${shown} ms after the last replica was refreshed (at most 2000 ms allowed)"
((shown <= 2000)) || exit 1
stop "$primary_pid"
stop "$ngx_pid"
for p in "${backend_pids[@]}"; do stop "$p"; done

"$out/baseline" --dir "$www" --addr "$base_addr" 2>>"$out/baseline.log" &
base_pid=$!
started "$base_pid"
wait_up "http://$base_addr/source.html"
load source "$scale" baseline "$(size "$www/source.html")" "http://$base_addr/source.html" "$base_pid"
load passage "$scale" baseline "$(size "$www/passage.html")" "http://$base_addr/passage.html" "$base_pid"
load source-gzip "$scale" baseline "$(size "$www/source.html.gz")" "http://$base_addr/source.html.gz" "$base_pid"
stop "$base_pid"

# RSS for proxy rows is nginx and both backends together.
print_table | tee "$out/table.md"
echo
echo "Raw outputs: $out"
