// Package sqlite is userpool's embedded store: one SQLite database file in
// the data directory, through the pure-Go modernc.org/sqlite driver (no C
// toolchain needed).
//
// The database runs in WAL mode with a busy timeout, so several processes may
// open the same data directory: readers never block, and writers queue (each
// transaction starts with BEGIN IMMEDIATE, so no transaction fails half-way
// on a lock upgrade). Inside one process writers are serialised by a mutex,
// so the busy timeout only comes into play between processes.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/userpool/userpool/internal/store"
)

// foldFunc is a SQL function that lower-cases text as Go's strings.ToLower
// does: the service folds usernames and filter values with it, and SQLite's
// own lower() changes ASCII letters only ("Ü" stays "Ü").
const foldFunc = "userpool_fold"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(foldFunc, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		default:
			return v, nil
		}
	})
}

// FileName is the database file inside the data directory.
const FileName = "userpool.db"

// Store is the SQLite implementation of store.Store.
type Store struct {
	db      *sql.DB
	writeMu sync.Mutex
	reader
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database in dir and brings its schema
// up to date.
func Open(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: create data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(15000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(time.Minute)
	s := &Store{db: db, reader: reader{q: db}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) migrate(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin migration: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrations table: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("sqlite: read schema version: %w", err)
	}
	if current > len(migrations) {
		return fmt.Errorf("sqlite: database schema version %d is newer than this userpool (%d): upgrade userpool", current, len(migrations))
	}
	for v := current + 1; v <= len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			return fmt.Errorf("sqlite: migration %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, time.Now().UnixNano()); err != nil {
			return fmt.Errorf("sqlite: record migration %d: %w", v, err)
		}
	}
	return tx.Commit()
}

// Update runs fn in one write transaction.
func (s *Store) Update(ctx context.Context, fn func(tx store.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	t := &tx{reader: reader{q: sqlTx}}
	if err := fn(t); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type reader struct{ q querier }

type tx struct{ reader }

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// isConstraint reports whether err is a UNIQUE or PRIMARY KEY violation.
func isConstraint(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		code := se.Code()
		return code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func checkAffected(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// Pools.

const poolColumns = `id, name, created_at, updated_at, settings`

func scanPool(row interface{ Scan(...any) error }) (store.Pool, error) {
	var p store.Pool
	var created, updated int64
	err := row.Scan(&p.ID, &p.Name, &created, &updated, &p.Settings)
	p.CreatedAt, p.UpdatedAt = fromUnix(created), fromUnix(updated)
	return p, err
}

func (r reader) GetPool(ctx context.Context, id string) (store.Pool, error) {
	p, err := scanPool(r.q.QueryRowContext(ctx, `SELECT `+poolColumns+` FROM pools WHERE id = ?`, id))
	return p, notFound(err)
}

func (r reader) ListPools(ctx context.Context, after string, limit int) ([]store.Pool, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+poolColumns+` FROM pools WHERE id > ? ORDER BY id LIMIT ?`, after, sqlLimit(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Pool
	for rows.Next() {
		p, err := scanPool(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1 // SQLite: no limit
	}
	return limit
}

func (t *tx) CreatePool(ctx context.Context, p store.Pool) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO pools (`+poolColumns+`) VALUES (?, ?, ?, ?, ?)`,
		p.ID, p.Name, unix(p.CreatedAt), unix(p.UpdatedAt), p.Settings)
	if isConstraint(err) {
		return &store.KeyConflictError{Key: p.ID}
	}
	return err
}

func (t *tx) UpdatePool(ctx context.Context, p store.Pool) error {
	res, err := t.q.ExecContext(ctx, `UPDATE pools SET name = ?, updated_at = ?, settings = ? WHERE id = ?`,
		p.Name, unix(p.UpdatedAt), p.Settings, p.ID)
	if err != nil {
		return err
	}
	return checkAffected(res)
}

func (t *tx) DeletePool(ctx context.Context, id string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM pools WHERE id = ?`, id)
	if err != nil {
		return err
	}
	return checkAffected(res)
}

// Clients.

const clientColumns = `id, pool_id, name, created_at, updated_at, settings`

func scanClient(row interface{ Scan(...any) error }) (store.Client, error) {
	var c store.Client
	var created, updated int64
	err := row.Scan(&c.ID, &c.PoolID, &c.Name, &created, &updated, &c.Settings)
	c.CreatedAt, c.UpdatedAt = fromUnix(created), fromUnix(updated)
	return c, err
}

func (r reader) GetClient(ctx context.Context, id string) (store.Client, error) {
	c, err := scanClient(r.q.QueryRowContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE id = ?`, id))
	return c, notFound(err)
}

func (r reader) ListClients(ctx context.Context, poolID, after string, limit int) ([]store.Client, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE pool_id = ? AND id > ? ORDER BY id LIMIT ?`, poolID, after, sqlLimit(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Client
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *tx) CreateClient(ctx context.Context, c store.Client) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO clients (`+clientColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		c.ID, c.PoolID, c.Name, unix(c.CreatedAt), unix(c.UpdatedAt), c.Settings)
	if isConstraint(err) {
		return &store.KeyConflictError{Key: c.ID}
	}
	return err
}

func (t *tx) UpdateClient(ctx context.Context, c store.Client) error {
	res, err := t.q.ExecContext(ctx, `UPDATE clients SET name = ?, updated_at = ?, settings = ? WHERE id = ?`,
		c.Name, unix(c.UpdatedAt), c.Settings, c.ID)
	if err != nil {
		return err
	}
	return checkAffected(res)
}

func (t *tx) DeleteClient(ctx context.Context, id string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM clients WHERE id = ?`, id)
	if err != nil {
		return err
	}
	return checkAffected(res)
}

// Users.

// userData is the part of a user kept as one JSON document.
type userData struct {
	Attributes      []store.Attribute           `json:"attributes"`
	Password        *store.Password             `json:"password,omitempty"`
	PasswordHistory []store.Password            `json:"passwordHistory,omitempty"`
	FailedSignIns   int                         `json:"failedSignIns,omitempty"`
	LastFailed      time.Time                   `json:"lastFailedSignIn,omitzero"`
	LockedUntil     time.Time                   `json:"lockedUntil,omitzero"`
	Keys            []string                    `json:"keys"`
	Pending         []store.Attribute           `json:"pending,omitempty"`
	Rates           map[string]store.RateWindow `json:"rates,omitempty"`
}

const userColumns = `pool_id, username, sub, enabled, status, created_at, updated_at, data`

func scanUser(row interface{ Scan(...any) error }) (store.User, error) {
	var u store.User
	var created, updated int64
	var data []byte
	if err := row.Scan(&u.PoolID, &u.Username, &u.Sub, &u.Enabled, &u.Status, &created, &updated, &data); err != nil {
		return u, err
	}
	u.CreatedAt, u.UpdatedAt = fromUnix(created), fromUnix(updated)
	var d userData
	if err := json.Unmarshal(data, &d); err != nil {
		return u, fmt.Errorf("sqlite: decode user %s: %w", u.Username, err)
	}
	u.Attributes, u.Password, u.PasswordHistory = d.Attributes, d.Password, d.PasswordHistory
	u.FailedSignIns, u.LastFailedSignIn, u.LockedUntil, u.Keys = d.FailedSignIns, d.LastFailed, d.LockedUntil, d.Keys
	u.PendingAttributes, u.Rates = d.Pending, d.Rates
	return u, nil
}

func (r reader) FindUser(ctx context.Context, poolID, key string) (store.User, error) {
	u, err := scanUser(r.q.QueryRowContext(ctx, `SELECT `+prefixed("u", userColumns)+` FROM user_keys k JOIN users u ON u.pool_id = k.pool_id AND u.username = k.username WHERE k.pool_id = ? AND k.key = ?`, poolID, key))
	return u, notFound(err)
}

func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ", ")
	for i, p := range parts {
		parts[i] = alias + "." + p
	}
	return strings.Join(parts, ", ")
}

// likePrefix escapes s for a LIKE prefix match with ESCAPE '\'.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

func (r reader) ListUsers(ctx context.Context, poolID string, q store.UserQuery) ([]store.User, string, error) {
	query := `SELECT ` + prefixed("u", userColumns) + ` FROM users u`
	args := []any{}
	where := []string{`u.pool_id = ?`, `u.username > ?`}
	args = append(args, poolID, q.After)
	if f := q.Filter; f != nil {
		var col string
		switch f.Attribute {
		case "username":
			col = "u.username"
		case "cognito:user_status":
			col = "u.status"
		case "status":
			col = "(CASE WHEN u.enabled THEN 'Enabled' ELSE 'Disabled' END)"
		default:
			query += ` JOIN user_attrs a ON a.pool_id = u.pool_id AND a.username = u.username AND a.name = ?`
			args = append([]any{f.Attribute}, args...)
			col = "a.value"
		}
		if f.Fold {
			col = foldFunc + "(" + col + ")"
		}
		if f.Prefix {
			// LIKE is case-insensitive for ASCII in SQLite; the extra
			// substr comparison keeps a case-sensitive prefix exact.
			where = append(where, col+` LIKE ? ESCAPE '\' AND substr(`+col+`, 1, ?) = ?`)
			args = append(args, likePrefix(f.Value), len([]rune(f.Value)), f.Value)
		} else {
			where = append(where, col+` = ?`)
			args = append(args, f.Value)
		}
	}
	query += ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY u.username LIMIT ?`
	args = append(args, sqlLimit(q.Limit))
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []store.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	last := ""
	if len(out) > 0 {
		last = out[len(out)-1].Username
	}
	return out, last, nil
}

func (r reader) CountUsers(ctx context.Context, poolID string) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE pool_id = ?`, poolID).Scan(&n)
	return n, err
}

func encodeUser(u store.User) ([]byte, error) {
	return json.Marshal(userData{
		Attributes: u.Attributes, Password: u.Password, PasswordHistory: u.PasswordHistory,
		FailedSignIns: u.FailedSignIns, LastFailed: u.LastFailedSignIn, LockedUntil: u.LockedUntil, Keys: u.Keys,
		Pending: u.PendingAttributes, Rates: u.Rates,
	})
}

func (t *tx) CreateUser(ctx context.Context, u store.User) error {
	data, err := encodeUser(u)
	if err != nil {
		return err
	}
	return t.atomically(ctx, func() error {
		_, err := t.q.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.PoolID, u.Username, u.Sub, u.Enabled, u.Status, unix(u.CreatedAt), unix(u.UpdatedAt), data)
		if isConstraint(err) {
			return &store.KeyConflictError{Key: "username:" + u.Username}
		}
		if err != nil {
			return err
		}
		return t.writeIndexes(ctx, u)
	})
}

func (t *tx) UpdateUser(ctx context.Context, u store.User) error {
	data, err := encodeUser(u)
	if err != nil {
		return err
	}
	return t.atomically(ctx, func() error {
		res, err := t.q.ExecContext(ctx, `UPDATE users SET sub = ?, enabled = ?, status = ?, updated_at = ?, data = ? WHERE pool_id = ? AND username = ?`,
			u.Sub, u.Enabled, u.Status, unix(u.UpdatedAt), data, u.PoolID, u.Username)
		if err != nil {
			return err
		}
		if err := checkAffected(res); err != nil {
			return err
		}
		for _, table := range []string{"user_keys", "user_attrs"} {
			if _, err := t.q.ExecContext(ctx, `DELETE FROM `+table+` WHERE pool_id = ? AND username = ?`, u.PoolID, u.Username); err != nil {
				return err
			}
		}
		return t.writeIndexes(ctx, u)
	})
}

// atomically runs a write of several statements inside a savepoint, so
// that when it fails (a taken key half-way through) none of it stays and
// the transaction can go on: the service moves an alias to the new user
// and tries again (ForceAliasCreation).
func (t *tx) atomically(ctx context.Context, fn func() error) error {
	if _, err := t.q.ExecContext(ctx, `SAVEPOINT user_write`); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := t.q.ExecContext(ctx, `ROLLBACK TO user_write`); rerr != nil {
			return errors.Join(err, rerr)
		}
		if _, rerr := t.q.ExecContext(ctx, `RELEASE user_write`); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	_, err := t.q.ExecContext(ctx, `RELEASE user_write`)
	return err
}

func (t *tx) writeIndexes(ctx context.Context, u store.User) error {
	for _, k := range u.Keys {
		_, err := t.q.ExecContext(ctx, `INSERT INTO user_keys (pool_id, key, username) VALUES (?, ?, ?)`, u.PoolID, k, u.Username)
		if isConstraint(err) {
			return &store.KeyConflictError{Key: k}
		}
		if err != nil {
			return err
		}
	}
	for _, a := range u.Attributes {
		if _, err := t.q.ExecContext(ctx, `INSERT OR REPLACE INTO user_attrs (pool_id, username, name, value) VALUES (?, ?, ?, ?)`, u.PoolID, u.Username, a.Name, a.Value); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) DeleteUser(ctx context.Context, poolID, username string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM users WHERE pool_id = ? AND username = ?`, poolID, username)
	if err != nil {
		return err
	}
	return checkAffected(res)
}

// Codes.

func (r reader) GetCode(ctx context.Context, poolID, username, purpose string) (store.Code, error) {
	c := store.Code{PoolID: poolID, Username: username, Purpose: purpose}
	var created, expires int64
	err := r.q.QueryRowContext(ctx, `SELECT attribute, hash, created_at, expires_at, failed_attempts FROM codes WHERE pool_id = ? AND username = ? AND purpose = ?`,
		poolID, username, purpose).Scan(&c.Attribute, &c.Hash, &created, &expires, &c.FailedAttempts)
	c.CreatedAt, c.ExpiresAt = fromUnix(created), fromUnix(expires)
	return c, notFound(err)
}

func (t *tx) PutCode(ctx context.Context, c store.Code) error {
	_, err := t.q.ExecContext(ctx, `INSERT OR REPLACE INTO codes (pool_id, username, purpose, attribute, hash, created_at, expires_at, failed_attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.PoolID, c.Username, c.Purpose, c.Attribute, c.Hash, unix(c.CreatedAt), unix(c.ExpiresAt), c.FailedAttempts)
	return err
}

func (t *tx) DeleteCode(ctx context.Context, poolID, username, purpose string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM codes WHERE pool_id = ? AND username = ? AND purpose = ?`, poolID, username, purpose)
	if err != nil {
		return err
	}
	return checkAffected(res)
}

// Outbox.

func (r reader) ListMessages(ctx context.Context, poolID, username string) ([]store.Message, error) {
	query := `SELECT id, pool_id, username, medium, destination, subject, body, code, created_at FROM outbox WHERE pool_id = ?`
	args := []any{poolID}
	if username != "" {
		query += ` AND username = ?`
		args = append(args, username)
	}
	rows, err := r.q.QueryContext(ctx, query+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Message
	for rows.Next() {
		var m store.Message
		var created int64
		if err := rows.Scan(&m.ID, &m.PoolID, &m.Username, &m.Medium, &m.Destination, &m.Subject, &m.Body, &m.Code, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = fromUnix(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

func (t *tx) AddMessage(ctx context.Context, m store.Message) (store.Message, error) {
	res, err := t.q.ExecContext(ctx, `INSERT INTO outbox (pool_id, username, medium, destination, subject, body, code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		m.PoolID, m.Username, m.Medium, m.Destination, m.Subject, m.Body, m.Code, unix(m.CreatedAt))
	if err != nil {
		return m, err
	}
	m.ID, err = res.LastInsertId()
	return m, err
}

// Secrets.

func (r reader) GetSecret(ctx context.Context, name string) ([]byte, error) {
	var v []byte
	err := r.q.QueryRowContext(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&v)
	return v, notFound(err)
}

func (t *tx) PutSecretIfAbsent(ctx context.Context, name string, value []byte) ([]byte, error) {
	if _, err := t.q.ExecContext(ctx, `INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)`, name, value); err != nil {
		return nil, err
	}
	return t.GetSecret(ctx, name)
}

// Signing keys.

func (r reader) ListSigningKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT kid, private_key, created_at, retired_at FROM signing_keys WHERE pool_id = ? ORDER BY created_at, kid`, poolID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.SigningKey
	for rows.Next() {
		k := store.SigningKey{PoolID: poolID}
		var created, retired int64
		if err := rows.Scan(&k.KID, &k.PrivateKey, &created, &retired); err != nil {
			return nil, err
		}
		k.CreatedAt, k.RetiredAt = fromUnix(created), fromUnix(retired)
		out = append(out, k)
	}
	return out, rows.Err()
}

func (t *tx) AddSigningKey(ctx context.Context, k store.SigningKey) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO signing_keys (pool_id, kid, private_key, created_at, retired_at) VALUES (?, ?, ?, ?, ?)`,
		k.PoolID, k.KID, k.PrivateKey, unix(k.CreatedAt), unix(k.RetiredAt))
	if isConstraint(err) {
		return &store.KeyConflictError{Key: k.KID}
	}
	return err
}

func (t *tx) RetireSigningKey(ctx context.Context, poolID, kid string, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE signing_keys SET retired_at = ? WHERE pool_id = ? AND kid = ?`, unix(at), poolID, kid)
	if err != nil {
		return err
	}
	return checkAffected(res)
}

func (t *tx) DeleteSigningKey(ctx context.Context, poolID, kid string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM signing_keys WHERE pool_id = ? AND kid = ?`, poolID, kid)
	if err != nil {
		return err
	}
	return checkAffected(res)
}

// Refresh tokens.

const refreshColumns = `id, hash, pool_id, username, client_id, auth_time, created_at, expires_at, revoked_at`

func scanRefresh(row interface{ Scan(...any) error }) (store.RefreshToken, error) {
	var t store.RefreshToken
	var auth, created, expires, revoked int64
	err := row.Scan(&t.ID, &t.Hash, &t.PoolID, &t.Username, &t.ClientID, &auth, &created, &expires, &revoked)
	t.AuthTime, t.CreatedAt, t.ExpiresAt, t.RevokedAt = fromUnix(auth), fromUnix(created), fromUnix(expires), fromUnix(revoked)
	return t, notFound(err)
}

func (r reader) GetRefreshToken(ctx context.Context, id string) (store.RefreshToken, error) {
	return scanRefresh(r.q.QueryRowContext(ctx, `SELECT `+refreshColumns+` FROM refresh_tokens WHERE id = ?`, id))
}

func (r reader) FindRefreshToken(ctx context.Context, hash []byte) (store.RefreshToken, error) {
	return scanRefresh(r.q.QueryRowContext(ctx, `SELECT `+refreshColumns+` FROM refresh_tokens WHERE hash = ?`, hash))
}

func (t *tx) CreateRefreshToken(ctx context.Context, rt store.RefreshToken) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO refresh_tokens (`+refreshColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rt.ID, rt.Hash, rt.PoolID, rt.Username, rt.ClientID, unix(rt.AuthTime), unix(rt.CreatedAt), unix(rt.ExpiresAt), unix(rt.RevokedAt))
	if isConstraint(err) {
		return &store.KeyConflictError{Key: rt.ID}
	}
	return err
}

func (t *tx) RevokeRefreshToken(ctx context.Context, id string, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE refresh_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0`, unix(at), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := t.GetRefreshToken(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) RevokeUserRefreshTokens(ctx context.Context, poolID, username string, at time.Time) error {
	_, err := t.q.ExecContext(ctx, `UPDATE refresh_tokens SET revoked_at = ? WHERE pool_id = ? AND username = ? AND revoked_at = 0`, unix(at), poolID, username)
	return err
}

func (t *tx) DeleteExpired(ctx context.Context, before time.Time) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM refresh_tokens WHERE expires_at < ?`, unix(before)); err != nil {
		return err
	}
	_, err := t.q.ExecContext(ctx, `DELETE FROM used_sessions WHERE expires_at < ?`, unix(before))
	return err
}

func (t *tx) UseSession(ctx context.Context, id string, expiresAt time.Time) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO used_sessions (id, expires_at) VALUES (?, ?)`, id, unix(expiresAt))
	if isConstraint(err) {
		return &store.KeyConflictError{Key: id}
	}
	return err
}

// Groups.

const groupColumns = `pool_id, name, description, precedence, role_arn, created_at, updated_at`

func scanGroup(row interface{ Scan(...any) error }) (store.Group, error) {
	var g store.Group
	var prec sql.NullInt32
	var created, updated int64
	err := row.Scan(&g.PoolID, &g.Name, &g.Description, &prec, &g.RoleArn, &created, &updated)
	g.Precedence, g.HasPrecedence = prec.Int32, prec.Valid
	g.CreatedAt, g.UpdatedAt = fromUnix(created), fromUnix(updated)
	return g, err
}

func scanGroups(rows *sql.Rows, err error) ([]store.Group, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func precedenceArg(g store.Group) any {
	if !g.HasPrecedence {
		return nil
	}
	return g.Precedence
}

func (r reader) GetGroup(ctx context.Context, poolID, name string) (store.Group, error) {
	g, err := scanGroup(r.q.QueryRowContext(ctx, `SELECT `+groupColumns+` FROM user_groups WHERE pool_id = ? AND name = ?`, poolID, name))
	return g, notFound(err)
}

func (r reader) ListGroups(ctx context.Context, poolID, after string, limit int) ([]store.Group, error) {
	return scanGroups(r.q.QueryContext(ctx, `SELECT `+groupColumns+` FROM user_groups WHERE pool_id = ? AND name > ? ORDER BY name LIMIT ?`, poolID, after, sqlLimit(limit)))
}

func (r reader) ListGroupsOfUser(ctx context.Context, poolID, username string) ([]store.Group, error) {
	return scanGroups(r.q.QueryContext(ctx, `SELECT `+prefixed("g", groupColumns)+` FROM group_members m JOIN user_groups g ON g.pool_id = m.pool_id AND g.name = m.group_name WHERE m.pool_id = ? AND m.username = ? ORDER BY g.name`, poolID, username))
}

func (r reader) ListUsersInGroup(ctx context.Context, poolID, group, after string, limit int) ([]store.User, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+prefixed("u", userColumns)+` FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.username = m.username WHERE m.pool_id = ? AND m.group_name = ? AND m.username > ? ORDER BY m.username LIMIT ?`,
		poolID, group, after, sqlLimit(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (t *tx) CreateGroup(ctx context.Context, g store.Group) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO user_groups (`+groupColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		g.PoolID, g.Name, g.Description, precedenceArg(g), g.RoleArn, unix(g.CreatedAt), unix(g.UpdatedAt))
	if isConstraint(err) {
		return &store.KeyConflictError{Key: "group:" + g.Name}
	}
	return err
}

func (t *tx) UpdateGroup(ctx context.Context, g store.Group) error {
	res, err := t.q.ExecContext(ctx, `UPDATE user_groups SET description = ?, precedence = ?, role_arn = ?, updated_at = ? WHERE pool_id = ? AND name = ?`,
		g.Description, precedenceArg(g), g.RoleArn, unix(g.UpdatedAt), g.PoolID, g.Name)
	if err != nil {
		return err
	}
	return checkAffected(res)
}

func (t *tx) DeleteGroup(ctx context.Context, poolID, name string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM user_groups WHERE pool_id = ? AND name = ?`, poolID, name)
	if err != nil {
		return err
	}
	return checkAffected(res)
}

func (t *tx) AddUserToGroup(ctx context.Context, poolID, group, username string) error {
	_, err := t.q.ExecContext(ctx, `INSERT OR IGNORE INTO group_members (pool_id, group_name, username) VALUES (?, ?, ?)`, poolID, group, username)
	return err
}

func (t *tx) RemoveUserFromGroup(ctx context.Context, poolID, group, username string) error {
	_, err := t.q.ExecContext(ctx, `DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND username = ?`, poolID, group, username)
	return err
}
