package web

import (
	"log"
	"net/http"
	"time"
)

// writeGrace is how long a response may wait on its client: the http.Server's WriteTimeout,
// and the time a large download may go without the client taking its next chunk.
const writeGrace = 30 * time.Second

// writeChunk is how much of a large response is written under one deadline. A client has
// writeGrace to take each chunk, so one reading slower than writeChunk/writeGrace (8.7 kB/s)
// is cut off, and one that keeps reading faster keeps its connection however long the
// download takes.
const writeChunk = 256 << 10

// HTTPServer is the server the binary runs h in. Its read timeouts stop slow-loris clients
// (headers trickled in, bodies never finished) and IdleTimeout drops idle connections.
// WriteTimeout bounds a response as a whole, which would cut off a large download to a slow
// but honest reader (a 54 MB export to a client reading 1 MB/s was cut at 46.5 MB): large
// responses go through deadlineWriter, which pushes the deadline forward on each chunk.
func HTTPServer(h http.Handler, errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      writeGrace,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          errorLog,
	}
}

// deadlineWriter writes a large response in chunks, giving the client writeGrace for each
// (http.ResponseController.SetWriteDeadline): a download lasts as long as its reader keeps
// reading, and a reader that stops is cut off writeGrace later.
type deadlineWriter struct {
	http.ResponseWriter
	rc *http.ResponseController
}

func keepWriting(w http.ResponseWriter) deadlineWriter {
	return deadlineWriter{w, http.NewResponseController(w)}
}

func (d deadlineWriter) Write(b []byte) (int, error) {
	written := 0
	for len(b) > 0 {
		chunk := b[:min(len(b), writeChunk)]
		// An error means the writer cannot set deadlines (a test's recorder): the
		// server's own timeout then applies.
		d.rc.SetWriteDeadline(time.Now().Add(writeGrace))
		n, err := d.ResponseWriter.Write(chunk)
		written += n
		if err != nil {
			return written, err
		}
		b = b[n:]
	}
	return written, nil
}

func (d deadlineWriter) Unwrap() http.ResponseWriter { return d.ResponseWriter }
