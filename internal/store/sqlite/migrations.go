package sqlite

// migrations is the ordered schema history. Each entry runs once, in its own
// transaction, and is recorded in schema_migrations; never edit a released
// entry, append a new one.
var migrations = []string{
	// 1: pools, clients, users and their keys and attributes, codes, outbox, secrets.
	`
CREATE TABLE pools (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	settings   BLOB NOT NULL
);
CREATE TABLE clients (
	id         TEXT PRIMARY KEY,
	pool_id    TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	settings   BLOB NOT NULL
);
CREATE INDEX clients_by_pool ON clients(pool_id, id);
CREATE TABLE users (
	pool_id    TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	username   TEXT NOT NULL,
	sub        TEXT NOT NULL,
	enabled    INTEGER NOT NULL,
	status     TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	data       BLOB NOT NULL,
	PRIMARY KEY (pool_id, username)
);
CREATE TABLE user_keys (
	pool_id  TEXT NOT NULL,
	key      TEXT NOT NULL,
	username TEXT NOT NULL,
	PRIMARY KEY (pool_id, key),
	FOREIGN KEY (pool_id, username) REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX user_keys_by_user ON user_keys(pool_id, username);
CREATE TABLE user_attrs (
	pool_id  TEXT NOT NULL,
	username TEXT NOT NULL,
	name     TEXT NOT NULL,
	value    TEXT NOT NULL,
	PRIMARY KEY (pool_id, username, name),
	FOREIGN KEY (pool_id, username) REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX user_attrs_by_value ON user_attrs(pool_id, name, value);
CREATE TABLE codes (
	pool_id         TEXT NOT NULL,
	username        TEXT NOT NULL,
	purpose         TEXT NOT NULL,
	attribute       TEXT NOT NULL,
	hash            BLOB NOT NULL,
	created_at      INTEGER NOT NULL,
	expires_at      INTEGER NOT NULL,
	failed_attempts INTEGER NOT NULL,
	PRIMARY KEY (pool_id, username, purpose),
	FOREIGN KEY (pool_id, username) REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE TABLE outbox (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	pool_id     TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	username    TEXT NOT NULL,
	medium      TEXT NOT NULL,
	destination TEXT NOT NULL,
	subject     TEXT NOT NULL,
	body        TEXT NOT NULL,
	code        TEXT NOT NULL,
	created_at  INTEGER NOT NULL
);
CREATE INDEX outbox_by_user ON outbox(pool_id, username, id);
CREATE TABLE secrets (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
);
`,
	// 2: signing keys, refresh tokens and used challenge sessions.
	`
CREATE TABLE signing_keys (
	pool_id     TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	kid         TEXT NOT NULL,
	private_key BLOB NOT NULL,
	created_at  INTEGER NOT NULL,
	retired_at  INTEGER NOT NULL,
	PRIMARY KEY (pool_id, kid)
);
CREATE TABLE refresh_tokens (
	id         TEXT PRIMARY KEY,
	hash       BLOB NOT NULL UNIQUE,
	pool_id    TEXT NOT NULL,
	username   TEXT NOT NULL,
	client_id  TEXT NOT NULL,
	auth_time  INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	revoked_at INTEGER NOT NULL,
	FOREIGN KEY (pool_id, username) REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens(pool_id, username);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens(expires_at);
CREATE TABLE used_sessions (
	id         TEXT PRIMARY KEY,
	expires_at INTEGER NOT NULL
);
CREATE INDEX used_sessions_by_expiry ON used_sessions(expires_at);
`,
	// 3: groups and their members.
	`
CREATE TABLE user_groups (
	pool_id        TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	name           TEXT NOT NULL,
	description    TEXT NOT NULL,
	precedence     INTEGER,
	role_arn       TEXT NOT NULL,
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	PRIMARY KEY (pool_id, name)
);
CREATE TABLE group_members (
	pool_id    TEXT NOT NULL,
	group_name TEXT NOT NULL,
	username   TEXT NOT NULL,
	PRIMARY KEY (pool_id, group_name, username),
	FOREIGN KEY (pool_id, group_name) REFERENCES user_groups(pool_id, name) ON DELETE CASCADE,
	FOREIGN KEY (pool_id, username) REFERENCES users(pool_id, username) ON DELETE CASCADE
);
CREATE INDEX group_members_by_user ON group_members(pool_id, username);
`,
}
