package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"time"
)

// Sign-ins are limited in three ways, each answering an attack the red team ran:
//
//   - Failures are counted per account-and-address (5 in 15 minutes) and per address (20 in
//     15 minutes). There is no limit per account alone: it would let a stranger lock an
//     editor out by failing on purpose from anywhere. Guessing one account from many
//     addresses is answered by the password policy instead (store.CheckPassword refuses
//     what such guessing would find) and by the cost of each guess.
//   - An attempt is counted when it starts, under the lock, not when its hash has failed,
//     so thirty attempts sent at once are counted as thirty, and the sixth is refused
//     before its password is looked at. A success takes its own count back.
//   - At most concurrentHashes passwords (half the cores) are hashed at once (argon2id takes
//     19 MiB and tens of milliseconds of a core each). Attempts beyond that wait up to hashWait for a turn,
//     then get 503: a flood of sign-ins queues in front of the hash rather than taking the
//     memory and the cores the public site needs.
//
// Addresses are counted whole for IPv4 and by /64 for IPv6, which one host often holds all
// of. Emails are counted by a hash of their normalised form, so the table's keys have a fixed
// size whatever is typed, and the table is bounded: expired entries are swept when it is
// full, and past maxLimiterKeys the oldest go first.
const (
	loginWindow            = 15 * time.Minute
	perAccountAddressLimit = 5
	perAddressLimit        = 20
	maxLimiterKeys         = 100_000
	hashWait               = 3 * time.Second
)

// concurrentHashes is half the cores, at least one: a flood of sign-ins keeps the other half
// for the public site.
var concurrentHashes = max(1, runtime.GOMAXPROCS(0)/2)

type loginLimiter struct {
	mu        sync.Mutex
	counts    map[string][]time.Time // key → the start of each counted attempt in the window
	lastSweep time.Time              // when expired keys were last removed
	hashes    chan struct{}          // a token per password being hashed
}

// sweepEvery is how often expired keys are removed, whether or not the table is full.
const sweepEvery = time.Minute

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{counts: map[string][]time.Time{}, hashes: make(chan struct{}, concurrentHashes)}
}

// attempt is one counted sign-in, until it is settled.
type attempt struct {
	l    *loginLimiter
	keys []string
	at   time.Time
}

// begin counts an attempt at signing in to the account with the given (normalised) email
// from the request's address. It refuses, saying how long to wait, when either limit is
// reached.
func (l *loginLimiter) begin(email string, r *http.Request, now time.Time) (*attempt, time.Duration, bool) {
	addr := addressKey(r)
	sum := sha256.Sum256([]byte(email))
	keys := map[string]int{
		"a:" + hex.EncodeToString(sum[:16]) + "@" + addr: perAccountAddressLimit,
		"ip:" + addr: perAddressLimit,
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= sweepEvery {
		l.sweep(now)
	}
	var wait time.Duration
	for k, limit := range keys {
		recent := l.recent(k, now)
		if len(recent) >= limit {
			wait = max(wait, loginWindow-now.Sub(recent[len(recent)-limit]))
		}
	}
	if wait > 0 {
		return nil, wait, false
	}
	a := &attempt{l: l, at: now}
	for k := range keys {
		if _, ok := l.counts[k]; !ok && len(l.counts) >= maxLimiterKeys {
			l.makeRoom(now)
		}
		l.counts[k] = append(l.counts[k], now)
		a.keys = append(a.keys, k)
	}
	return a, 0, true
}

// recent drops a key's counts that have left the window and returns the rest.
func (l *loginLimiter) recent(k string, now time.Time) []time.Time {
	ts := l.counts[k]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= loginWindow {
		i++
	}
	if i == len(ts) {
		delete(l.counts, k)
		return nil
	}
	ts = ts[i:]
	l.counts[k] = ts
	return ts
}

// makeRoom sweeps expired keys and, if the table is still full, drops the tenth of the keys
// whose last attempt is oldest, so a full table is swept once per tenth of its size in new
// keys, not on every one.
func (l *loginLimiter) makeRoom(now time.Time) {
	l.sweep(now)
	if len(l.counts) < maxLimiterKeys {
		return
	}
	last := make([]time.Time, 0, len(l.counts))
	for _, ts := range l.counts {
		last = append(last, ts[len(ts)-1])
	}
	slices.SortFunc(last, time.Time.Compare)
	cutoff := last[len(last)/10]
	for k, ts := range l.counts {
		if !ts[len(ts)-1].After(cutoff) {
			delete(l.counts, k)
		}
	}
}

// sweep removes the keys whose attempts have all left the window.
func (l *loginLimiter) sweep(now time.Time) {
	for k := range l.counts {
		l.recent(k, now)
	}
	l.lastSweep = now
}

// withdraw takes the attempt's count back: a right password is not a failure, nor is an
// attempt whose password was never checked.
func (a *attempt) withdraw() {
	a.l.mu.Lock()
	defer a.l.mu.Unlock()
	for _, k := range a.keys {
		ts := a.l.counts[k]
		for i, t := range ts {
			if t.Equal(a.at) {
				a.l.counts[k] = append(ts[:i:i], ts[i+1:]...)
				break
			}
		}
		if len(a.l.counts[k]) == 0 {
			delete(a.l.counts, k)
		}
	}
}

// hashSlot waits for a turn to hash a password: up to hashWait, or until the request ends.
func (l *loginLimiter) hashSlot(ctx context.Context) (release func(), ok bool) {
	timer := time.NewTimer(hashWait)
	defer timer.Stop()
	select {
	case l.hashes <- struct{}{}:
		return func() { <-l.hashes }, true
	case <-timer.C:
	case <-ctx.Done():
	}
	return nil, false
}

// keys counts the entries in the table, for tests and for the reliability figures.
func (l *loginLimiter) keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.counts)
}

// addressKey is the client's address as the limiter counts it: an IPv4 address, or the /64
// an IPv6 address belongs to.
func addressKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip4 := ip.To4(); ip4 != nil {
		return ip4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
