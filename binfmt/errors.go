package binfmt

import (
	"errors"
	"fmt"
	"io"
)

// ErrUnknownChannel is returned (wrapped) when a record has no file for the
// requested channel name.
var ErrUnknownChannel = errors.New("binfmt: no such channel")

// FormatError reports input that does not follow the format being decoded.
// It names the file or channel when known, the byte offset in that file at
// which the problem was found and what is wrong. When the input ended early
// the error wraps io.ErrUnexpectedEOF, so errors.Is(err, io.ErrUnexpectedEOF)
// holds.
type FormatError struct {
	// File is the file (or channel) name, empty when the decoder was given
	// a bare io.Reader.
	File string
	// Offset is the byte offset in the file where the problem was found;
	// for CSV files it is the offset of the start of the offending line.
	Offset int64
	// Msg says what is wrong.
	Msg string
	// Err is the underlying cause, if any (for example io.ErrUnexpectedEOF).
	Err error
}

// Error implements the error interface.
func (e *FormatError) Error() string {
	s := "binfmt: "
	if e.File != "" {
		s += e.File + ": "
	}
	s += fmt.Sprintf("offset %d: %s", e.Offset, e.Msg)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause.
func (e *FormatError) Unwrap() error { return e.Err }

// formatErr builds a *FormatError for an anonymous reader.
func formatErr(off int64, err error, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), Err: err}
}

// withFile returns err with File set to name when err is a *FormatError
// without a file name; other errors are wrapped in a *FormatError at off.
func withFile(err error, name string, off int64) error {
	if err == nil || errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	var fe *FormatError
	if errors.As(err, &fe) {
		if fe.File == "" {
			c := *fe
			c.File = name
			return &c
		}
		return err
	}
	return &FormatError{File: name, Offset: off, Msg: "read failed", Err: err}
}
