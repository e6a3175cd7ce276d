// Package store defines userpool's persistence: one Store interface, the plain
// value types it speaks in, and the sentinel errors it returns. Backends live
// in sub-packages (sqlite, later postgres) and all pass storetest.Run.
//
// The store never decides an HTTP status or a Cognito exception: it reports
// ErrNotFound, ErrAlreadyExists (with the conflicting key) and ErrConflict,
// and the service layer maps them to what AWS returns for each operation.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

var (
	// ErrNotFound is returned when the requested record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrAlreadyExists is returned when a record or one of its unique keys is
	// taken. Errors carrying it are *KeyConflictError values naming the key.
	ErrAlreadyExists = errors.New("store: already exists")
	// ErrConflict is returned when a single-use record was consumed by a
	// concurrent transaction.
	ErrConflict = errors.New("store: conflict")
)

// KeyConflictError says which unique key of a user (or which record id) is
// already taken, so the caller can tell a username clash from an alias clash.
type KeyConflictError struct {
	Key string
}

func (e *KeyConflictError) Error() string {
	return fmt.Sprintf("store: key %q already exists", e.Key)
}

// Is makes errors.Is(err, ErrAlreadyExists) true.
func (e *KeyConflictError) Is(target error) bool { return target == ErrAlreadyExists }

// Pool is a user pool. Settings holds the pool's Cognito configuration as an
// opaque JSON document owned by the service layer.
type Pool struct {
	ID        string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Settings  []byte
}

// Client is an app client of a pool. Client IDs are unique across pools
// because client-side operations name only the client.
type Client struct {
	ID        string
	PoolID    string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Settings  []byte
}

// Attribute is one user attribute, in the order Cognito reports them.
type Attribute struct {
	Name  string
	Value string
}

// Password is what is kept of a user's password: an SRP salt and verifier,
// never the password itself.
type Password struct {
	Salt     []byte
	Verifier []byte
	SetAt    time.Time
	// Temporary is true for passwords set by an administrator that must be
	// changed at the next sign-in (status FORCE_CHANGE_PASSWORD).
	Temporary bool
}

// User is a user of a pool.
type User struct {
	PoolID   string
	Username string // immutable; as given (or generated for email/phone-as-username pools)
	Sub      string
	Enabled  bool
	Status   string // UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, ...

	Attributes []Attribute
	Password   *Password
	// PasswordHistory holds earlier passwords' salts and verifiers, newest first.
	PasswordHistory []Password

	// FailedSignIns counts consecutive failed sign-ins, LastFailedSignIn
	// is the latest, and LockedUntil the end of the current lockout.
	FailedSignIns    int
	LastFailedSignIn time.Time
	LockedUntil      time.Time

	// PendingAttributes are new values of email or phone_number waiting to
	// be verified before they replace the current ones (a pool's
	// AttributesRequireVerificationBeforeUpdate).
	PendingAttributes []Attribute
	// Rates counts the user's recent requests of each rate-limited kind.
	Rates map[string]RateWindow

	CreatedAt time.Time
	UpdatedAt time.Time

	// Keys are the user's unique lookup keys within the pool (username,
	// sub, aliases), computed by the service layer. The store keeps them
	// unique and finds users by them.
	Keys []string
}

// RateWindow counts events in a fixed window that starts at the first one.
type RateWindow struct {
	Start time.Time
	Count int
}

// Attr returns the value of the named attribute and whether it is set.
func (u *User) Attr(name string) (string, bool) {
	for _, a := range u.Attributes {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// SetAttr sets or adds an attribute, keeping the order of existing ones.
func (u *User) SetAttr(name, value string) {
	for i, a := range u.Attributes {
		if a.Name == name {
			u.Attributes[i].Value = value
			return
		}
	}
	u.Attributes = append(u.Attributes, Attribute{Name: name, Value: value})
}

// DeleteAttr removes an attribute if present.
func (u *User) DeleteAttr(name string) {
	out := u.Attributes[:0]
	for _, a := range u.Attributes {
		if a.Name != name {
			out = append(out, a)
		}
	}
	u.Attributes = out
}

// Code is a one-time code (sign-up confirmation, password reset, attribute
// verification). Only a hash of the code is stored.
type Code struct {
	PoolID   string
	Username string
	Purpose  string // e.g. "signup", "forgot_password", "verify:email"
	// Attribute is the attribute the code was sent to ("email" or
	// "phone_number"); confirming the code proves the user holds it.
	Attribute string
	Hash      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
	// FailedAttempts counts wrong guesses against this code.
	FailedAttempts int
}

// Message is one email or SMS userpool would have sent, kept in the outbox
// so developers and tests can read it.
type Message struct {
	ID          int64
	PoolID      string
	Username    string
	Medium      string // EMAIL or SMS
	Destination string
	Subject     string
	Body        string
	Code        string
	CreatedAt   time.Time
}

// SigningKey is a pool's RSA key for signing tokens. A retired key no longer
// signs but stays published until the tokens it signed have expired.
type SigningKey struct {
	PoolID     string
	KID        string
	PrivateKey []byte // PKCS #8 DER
	CreatedAt  time.Time
	RetiredAt  time.Time // zero while the key is the pool's active key
}

// RefreshToken is one sign-in session of a user on an app client: the
// refresh token (stored only as a hash) and the origin of every access and
// ID token issued from it, so revoking it revokes them too.
type RefreshToken struct {
	ID        string // the tokens' origin_jti
	Hash      []byte // SHA-256 of the refresh token
	PoolID    string
	Username  string
	ClientID  string
	AuthTime  time.Time
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt time.Time // zero while valid
}

// Group is a user group of a pool. Groups of a user appear in their tokens
// (cognito:groups), ordered by Precedence (lowest first).
type Group struct {
	PoolID      string
	Name        string
	Description string
	// Precedence orders a user's groups; HasPrecedence is false when none
	// was set.
	Precedence    int32
	HasPrecedence bool
	RoleArn       string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// UserQuery selects users for ListUsers.
type UserQuery struct {
	// Filter, when set, keeps users whose attribute matches.
	Filter *UserFilter
	// After is the sort key of the last user of the previous page ("" for the first page).
	After string
	// Limit is the page size; 0 means no limit.
	Limit int
}

// UserFilter is one ListUsers filter term: Attribute = Value or Attribute ^= Value.
// Attribute is an attribute name, or one of the pseudo attributes
// "username", "cognito:user_status" and "status" (Enabled/Disabled).
type UserFilter struct {
	Attribute string
	Prefix    bool
	Value     string
	// Fold compares case-insensitively (Value is already lower-cased).
	Fold bool
}

// Reader holds the read operations available both on a Store and inside a
// transaction.
type Reader interface {
	GetPool(ctx context.Context, id string) (Pool, error)
	// ListPools returns pools ordered by ID, starting after the given ID.
	ListPools(ctx context.Context, after string, limit int) ([]Pool, error)

	GetClient(ctx context.Context, id string) (Client, error)
	// ListClients returns a pool's clients ordered by ID, starting after the given ID.
	ListClients(ctx context.Context, poolID, after string, limit int) ([]Client, error)

	// FindUser returns the user holding the given unique key in the pool.
	FindUser(ctx context.Context, poolID, key string) (User, error)
	// ListUsers returns users ordered by their sort key (the username key);
	// the returned string is the sort key of the last user returned.
	ListUsers(ctx context.Context, poolID string, q UserQuery) ([]User, string, error)
	CountUsers(ctx context.Context, poolID string) (int, error)

	GetCode(ctx context.Context, poolID, username, purpose string) (Code, error)

	// ListMessages returns the outbox of a pool, oldest first; username ""
	// means every user.
	ListMessages(ctx context.Context, poolID, username string) ([]Message, error)

	// ListSigningKeys returns a pool's signing keys, oldest first.
	ListSigningKeys(ctx context.Context, poolID string) ([]SigningKey, error)

	GetGroup(ctx context.Context, poolID, name string) (Group, error)
	// ListGroups returns a pool's groups ordered by name, after the given name.
	ListGroups(ctx context.Context, poolID, after string, limit int) ([]Group, error)
	// ListGroupsOfUser returns the groups a user belongs to, ordered by name.
	ListGroupsOfUser(ctx context.Context, poolID, username string) ([]Group, error)
	// ListUsersInGroup returns a group's members ordered by username, after
	// the given username.
	ListUsersInGroup(ctx context.Context, poolID, group, after string, limit int) ([]User, error)

	// GetRefreshToken finds a refresh token by its ID (origin_jti).
	GetRefreshToken(ctx context.Context, id string) (RefreshToken, error)
	// FindRefreshToken finds a refresh token by its hash.
	FindRefreshToken(ctx context.Context, hash []byte) (RefreshToken, error)

	// GetSecret returns a named server secret (key material the server
	// generates once and shares among processes using the same store).
	GetSecret(ctx context.Context, name string) ([]byte, error)
}

// Tx is a transaction: everything done through it commits or rolls back together.
type Tx interface {
	Reader

	CreatePool(ctx context.Context, p Pool) error
	UpdatePool(ctx context.Context, p Pool) error
	// DeletePool deletes a pool with its clients, users, codes and messages.
	DeletePool(ctx context.Context, id string) error

	CreateClient(ctx context.Context, c Client) error
	UpdateClient(ctx context.Context, c Client) error
	DeleteClient(ctx context.Context, id string) error

	// CreateUser adds a user; a taken key gives a *KeyConflictError.
	CreateUser(ctx context.Context, u User) error
	// UpdateUser replaces the user named u.Username (and its keys).
	UpdateUser(ctx context.Context, u User) error
	// DeleteUser deletes a user with its codes.
	DeleteUser(ctx context.Context, poolID, username string) error

	// PutCode stores a code, replacing any earlier one of the same purpose.
	PutCode(ctx context.Context, c Code) error
	DeleteCode(ctx context.Context, poolID, username, purpose string) error

	AddMessage(ctx context.Context, m Message) (Message, error)

	AddSigningKey(ctx context.Context, k SigningKey) error
	// RetireSigningKey sets a key's RetiredAt.
	RetireSigningKey(ctx context.Context, poolID, kid string, at time.Time) error
	DeleteSigningKey(ctx context.Context, poolID, kid string) error

	CreateGroup(ctx context.Context, g Group) error
	UpdateGroup(ctx context.Context, g Group) error
	// DeleteGroup deletes a group and its memberships.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// AddUserToGroup makes a user a member (a no-op if they are one).
	AddUserToGroup(ctx context.Context, poolID, group, username string) error
	// RemoveUserFromGroup ends a membership (a no-op if there is none).
	RemoveUserFromGroup(ctx context.Context, poolID, group, username string) error

	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	// RevokeRefreshToken revokes one refresh token (ErrNotFound if unknown).
	RevokeRefreshToken(ctx context.Context, id string, at time.Time) error
	// RevokeUserRefreshTokens revokes every valid refresh token of a user.
	RevokeUserRefreshTokens(ctx context.Context, poolID, username string, at time.Time) error
	// DeleteExpired removes refresh tokens and used sessions that expired
	// before the given time.
	DeleteExpired(ctx context.Context, before time.Time) error

	// UseSession records that a single-use session (an auth challenge
	// session or SRP secret block) was consumed; ErrAlreadyExists if it was
	// consumed before.
	UseSession(ctx context.Context, id string, expiresAt time.Time) error

	// PutSecretIfAbsent stores a named secret unless one exists, and returns
	// the stored value either way.
	PutSecretIfAbsent(ctx context.Context, name string, value []byte) ([]byte, error)
}

// Store is userpool's persistence. Reads may be made directly; every change
// goes through Update, which runs fn in one transaction and commits when fn
// returns nil.
type Store interface {
	Reader
	Update(ctx context.Context, fn func(tx Tx) error) error
	Close() error
}
