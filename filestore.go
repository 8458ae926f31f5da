package wearkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/oauth2"

	"github.com/wearkit/wearkit/internal/atomicfile"
	"github.com/wearkit/wearkit/internal/filelock"
)

// FileTokenStore keeps a token in one JSON file. Saves are atomic (a
// temporary file in the same folder, fsync, rename, fsync of the folder), so
// a reader never sees a half-written token, and the file is readable by its
// owner only (mode 0600). It implements TokenLocker with an operating-system
// lock on a "<path>.lock" file beside it, so processes sharing the file
// refresh once between them. Besides oauth2.Token's own fields it keeps the
// token answer's extra fields clients read (TokenExtras).
type FileTokenStore struct {
	path string
}

// NewFileTokenStore returns a store keeping its token at path. The folder
// must exist; the file is created by the first Save.
func NewFileTokenStore(path string) *FileTokenStore {
	return &FileTokenStore{path: path}
}

// Path returns the file the token is kept in.
func (f *FileTokenStore) Path() string { return f.path }

// Load implements TokenStore. A missing file is (nil, nil).
func (f *FileTokenStore) Load(ctx context.Context) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("token file: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	var tok fileToken
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&tok); err != nil {
		// The decoder's message never quotes the file's content.
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("token file %s: invalid JSON at byte offset %d", f.path, se.Offset)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// te.Field is the Go path ("Token.expires_in"): name the
			// file's key.
			field := strings.TrimPrefix(te.Field, "Token.")
			return nil, fmt.Errorf("token file %s: field %q has the wrong type at byte offset %d", f.path, field, te.Offset)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("token file %s: %w", f.path, err)
		}
		// The one field with a decoder of its own is expiry, whose error
		// (time.ParseError) quotes the value.
		return nil, fmt.Errorf("token file %s: field \"expiry\" is not an RFC 3339 time", f.path)
	}
	if rest := bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		// Two tokens run together, or an overwrite cut short: which
		// part is the token is unknown.
		return nil, fmt.Errorf("token file %s: unexpected data after the token at byte offset %d", f.path, len(b)-len(rest))
	}
	if len(tok.Extra) > 0 {
		return tok.Token.WithExtra(tok.Extra), nil
	}
	return &tok.Token, nil
}

// fileToken is the file's JSON: oauth2.Token's own fields, and the extra
// fields of the token endpoint's answer that clients read (the JSON keeps
// no others: oauth2.Token cannot list them).
type fileToken struct {
	oauth2.Token
	Extra map[string]any `json:"extra,omitempty"`
}

// keptExtras are the extra token fields TokenExtras returns: Withings'
// userid, the user ids other vendors send, the granted scope, an OpenID
// id_token.
var keptExtras = []string{"userid", "user_id", "x_user_id", "scope", "id_token"}

// TokenExtras returns the extra fields of tok's token answer that the
// clients read and a TokenStore should keep beside oauth2.Token's own
// fields ("userid", "user_id", "x_user_id", "scope", "id_token"; empty ones
// left out), or nil when there are none. oauth2.Token cannot list its
// extras, so a store keeps these and restores them with Token.WithExtra.
// FileTokenStore and the sqlstore module's store do.
func TokenExtras(tok *oauth2.Token) map[string]any {
	if tok == nil {
		return nil
	}
	var out map[string]any
	for _, k := range keptExtras {
		if v := tok.Extra(k); v != nil && v != "" {
			if out == nil {
				out = map[string]any{}
			}
			out[k] = v
		}
	}
	return out
}

// Save implements TokenStore: the token is durable on disk when it returns.
func (f *FileTokenStore) Save(ctx context.Context, tok *oauth2.Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ft := fileToken{Token: *tok, Extra: TokenExtras(tok)}
	b, err := json.Marshal(ft)
	if err != nil {
		return fmt.Errorf("token file %s: encoding: %w", f.path, err)
	}
	if err := atomicfile.Write(f.target(), b, 0o600); err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	return nil
}

// target is the file the token lives in: path, or the file a symbolic link
// at path points to (even one not created yet), so that a save replaces the
// file every user of the link reads rather than the link itself, and every
// store reaching the same file takes the same lock.
func (f *FileTokenStore) target() string { return atomicfile.Target(f.path) }

// LockToken implements TokenLocker with an exclusive lock on "<path>.lock"
// (beside the link's target when path is a symbolic link),
// held by this process until unlock, polled until ctx ends.
func (f *FileTokenStore) LockToken(ctx context.Context) (func() error, error) {
	unlock, err := filelock.Lock(ctx, f.target()+".lock")
	if err != nil {
		return nil, fmt.Errorf("token file %w", err)
	}
	return unlock, nil
}
