//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// restrictFileModes makes every file the program creates readable by its owner only: the
// database, its -wal and -shm (SQLite gives them the database's mode), backups, restored
// files and export copies hold password hashes and session tokens. Setting the umask covers
// them all at once, including the files SQLite creates itself; a file made before keeps its
// mode (chmod 600 it).
func restrictFileModes() { syscall.Umask(0o077) }

// errInUse is a database another process holds.
var errInUse = errors.New("in use")

// errRestoring is a database a restore is replacing.
var errRestoring = errors.New("a restore is in progress")

// lockDatabase takes an advisory lock (flock) on PATH.lock for as long as the process uses
// the database at path: shared for those who use it (serve, backup), exclusive for restore,
// which must not replace a file a server still writes to (the server would go on writing to
// the file restore moved aside, and those writes would be gone at the next start). The
// kernel drops the lock when the process ends, however it ends, so a crash leaves nothing
// to clean up, unlike a pid file; the lock file itself stays, empty but for the pid of the
// last process that took it, which messages quote. A process that only reads (serve
// --read-only, backup) may find the directory read-only; it goes on without the lock.
func lockDatabase(path string, exclusive, readOnly bool) (release func(), err error) {
	if !readOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil { // a first start makes it
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		if readOnly && (errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS)) {
			return func() {}, nil
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		holder := lockHolder(f)
		f.Close()
		switch {
		case !errors.Is(err, syscall.EWOULDBLOCK):
			return nil, fmt.Errorf("lock %s: %w", path, err)
		case exclusive:
			return nil, fmt.Errorf("%s is %w%s", path, errInUse, holder)
		default:
			return nil, fmt.Errorf("%s: %w%s", path, errRestoring, holder)
		}
	}
	if f.Truncate(0) == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil // closing the file releases the lock
}

// lockHolder names the last process that took the lock, for a message.
func lockHolder(f *os.File) string {
	b := make([]byte, 32)
	n, _ := f.ReadAt(b, 0)
	if pid := strings.TrimSpace(string(b[:n])); pid != "" {
		return " (by process " + pid + ")"
	}
	return ""
}
