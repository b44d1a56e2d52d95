package web

// lru maps keys to values, bounded by the sum of the sizes given with them: when a put or a
// resize takes that sum over the limit, the least recently used entries leave first (the
// entry just put among them, if it alone is over the limit). get counts as a use; peek does
// not. It is not safe for concurrent use: its owner holds a lock.
type lru[K comparable, V any] struct {
	size, limit int
	root        lruEntry[K, V] // root.next is the most recently used, root.prev the least
	items       map[K]*lruEntry[K, V]
}

type lruEntry[K comparable, V any] struct {
	prev, next *lruEntry[K, V]
	key        K
	value      V
	size       int
}

func newLRU[K comparable, V any](limit int) *lru[K, V] {
	l := &lru[K, V]{limit: limit, items: map[K]*lruEntry[K, V]{}}
	l.root.prev, l.root.next = &l.root, &l.root
	return l
}

// get returns the value kept for key, and makes it the most recently used.
func (l *lru[K, V]) get(key K) (V, bool) {
	return l.use(l.items[key])
}

// getBytes is get for a cache keyed by strings, looked up with bytes: indexing the map with
// string(key) does not copy them, where passing string(key) to get would.
func getBytes[V any](l *lru[string, V], key []byte) (V, bool) {
	return l.use(l.items[string(key)])
}

func (l *lru[K, V]) use(e *lruEntry[K, V]) (V, bool) {
	if e == nil {
		var zero V
		return zero, false
	}
	if l.root.next != e {
		l.unlink(e)
		l.pushFront(e)
	}
	return e.value, true
}

// peek returns the value kept for key, leaving the order of use as it is.
func (l *lru[K, V]) peek(key K) (V, bool) {
	if e, ok := l.items[key]; ok {
		return e.value, true
	}
	var zero V
	return zero, false
}

// put keeps value for key, in place of any value kept for it, as the most recently used,
// counting size bytes for it.
func (l *lru[K, V]) put(key K, value V, size int) {
	l.remove(key)
	e := &lruEntry[K, V]{key: key, value: value, size: size}
	l.items[key] = e
	l.pushFront(e)
	l.size += size
	l.evict()
}

// resize counts size bytes for key's entry from now on, if it has one.
func (l *lru[K, V]) resize(key K, size int) {
	if e, ok := l.items[key]; ok {
		l.size += size - e.size
		e.size = size
		l.evict()
	}
}

func (l *lru[K, V]) remove(key K) {
	if e, ok := l.items[key]; ok {
		l.drop(e)
	}
}

func (l *lru[K, V]) len() int { return len(l.items) }

// clear forgets every entry.
func (l *lru[K, V]) clear() {
	clear(l.items)
	l.root.prev, l.root.next = &l.root, &l.root
	l.size = 0
}

func (l *lru[K, V]) evict() {
	for l.size > l.limit && l.root.prev != &l.root {
		l.drop(l.root.prev)
	}
}

func (l *lru[K, V]) drop(e *lruEntry[K, V]) {
	l.unlink(e)
	delete(l.items, e.key)
	l.size -= e.size
}

func (l *lru[K, V]) unlink(e *lruEntry[K, V]) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

func (l *lru[K, V]) pushFront(e *lruEntry[K, V]) {
	e.prev, e.next = &l.root, l.root.next
	e.prev.next, e.next.prev = e, e
}
