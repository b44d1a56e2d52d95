package link

import "strconv"

// PassageDiff is the word diff of a passage between two of its revisions.
func PassageDiff(source, key string, from, to int) string {
	return Passage(source, key, 0) + "/diff?from=" + strconv.Itoa(from) + "&to=" + strconv.Itoa(to)
}
