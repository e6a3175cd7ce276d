// Package token signs and verifies the RS256 JWTs userpool issues and
// publishes their keys as a JWKS. Each pool has its own RSA key pair,
// generated on first use and kept in the store, so tokens stay valid across
// restarts and across server processes sharing the store. Rotation makes a
// new key active and keeps the old one published until every token it
// signed has expired.
package token

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/userpool/userpool/internal/store"
)

// MaxLifetime is the longest an ID or access token lives (Cognito allows at
// most one day); a retired key stays published this long.
const MaxLifetime = 24 * time.Hour

// cacheTTL is how long a process trusts its copy of a pool's keys before
// reading them again (to notice a rotation made by another process).
const cacheTTL = 10 * time.Second

// ErrInvalid is returned for a token that does not verify.
var ErrInvalid = errors.New("token: invalid")

// Keys manages the signing keys of every pool.
type Keys struct {
	store store.Store
	now   func() time.Time

	mu    sync.Mutex
	pools map[string]*poolKeys
}

type poolKeys struct {
	loaded time.Time
	active *key
	byKID  map[string]*key
}

type key struct {
	kid       string
	private   *rsa.PrivateKey
	signer    jose.Signer
	createdAt time.Time
	retiredAt time.Time
}

// NewKeys returns a key manager over st.
func NewKeys(st store.Store, now func() time.Time) *Keys {
	if now == nil {
		now = time.Now
	}
	return &Keys{store: st, now: now, pools: map[string]*poolKeys{}}
}

// kidOf names a key after its public half, as AWS's key IDs are.
func kidOf(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}

func newKey(sk store.SigningKey) (*key, error) {
	parsed, err := x509.ParsePKCS8PrivateKey(sk.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("token: parse key %s: %w", sk.KID, err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("token: key %s is not RSA", sk.KID)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: priv, KeyID: sk.KID, Algorithm: string(jose.RS256)}}, nil)
	if err != nil {
		return nil, err
	}
	return &key{kid: sk.KID, private: priv, signer: signer, createdAt: sk.CreatedAt, retiredAt: sk.RetiredAt}, nil
}

// generate makes a fresh key pair (outside any transaction: it takes tens
// of milliseconds).
func generate(poolID string, now time.Time) (store.SigningKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return store.SigningKey{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return store.SigningKey{}, err
	}
	kid, err := kidOf(&priv.PublicKey)
	if err != nil {
		return store.SigningKey{}, err
	}
	return store.SigningKey{PoolID: poolID, KID: kid, PrivateKey: der, CreatedAt: now}, nil
}

// load returns a pool's keys, from the cache when fresh. With create, a
// pool without an active key gets one.
func (k *Keys) load(ctx context.Context, poolID string, create, force bool) (*poolKeys, error) {
	now := k.now()
	k.mu.Lock()
	pk := k.pools[poolID]
	k.mu.Unlock()
	if pk != nil && !force && now.Sub(pk.loaded) < cacheTTL && (pk.active != nil || !create) {
		return pk, nil
	}
	stored, err := k.store.ListSigningKeys(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if create && activeOf(stored) == nil {
		fresh, err := generate(poolID, now.UTC().Truncate(time.Microsecond))
		if err != nil {
			return nil, err
		}
		err = k.store.Update(ctx, func(tx store.Tx) error {
			cur, err := tx.ListSigningKeys(ctx, poolID)
			if err != nil {
				return err
			}
			if activeOf(cur) == nil { // no other process won the race
				if err := tx.AddSigningKey(ctx, fresh); err != nil {
					return err
				}
				cur = append(cur, fresh)
			}
			stored = cur
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	pk = &poolKeys{loaded: now, byKID: map[string]*key{}}
	for _, sk := range stored {
		if !sk.RetiredAt.IsZero() && now.After(sk.RetiredAt.Add(MaxLifetime)) {
			continue // its tokens have all expired; Rotate deletes it
		}
		kk, err := newKey(sk)
		if err != nil {
			return nil, err
		}
		pk.byKID[kk.kid] = kk
		if sk.RetiredAt.IsZero() && (pk.active == nil || kk.createdAt.After(pk.active.createdAt)) {
			pk.active = kk
		}
	}
	k.mu.Lock()
	k.pools[poolID] = pk
	k.mu.Unlock()
	return pk, nil
}

func activeOf(keys []store.SigningKey) *store.SigningKey {
	for i := len(keys) - 1; i >= 0; i-- {
		if keys[i].RetiredAt.IsZero() {
			return &keys[i]
		}
	}
	return nil
}

// Sign signs a JSON payload with the pool's active key (RS256, header
// {"kid","alg"} as AWS's).
func (k *Keys) Sign(ctx context.Context, poolID string, payload []byte) (string, error) {
	pk, err := k.load(ctx, poolID, true, false)
	if err != nil {
		return "", err
	}
	obj, err := pk.active.signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

// Verify checks a token's RS256 signature against the pool's published keys
// and returns its payload. It does not look at the claims.
func (k *Keys) Verify(ctx context.Context, poolID, raw string) ([]byte, error) {
	obj, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(obj.Signatures) != 1 {
		return nil, ErrInvalid
	}
	kid := obj.Signatures[0].Header.KeyID
	pk, err := k.load(ctx, poolID, false, false)
	if err != nil {
		return nil, err
	}
	kk := pk.byKID[kid]
	if kk == nil && k.now().Sub(pk.loaded) > time.Second {
		// Perhaps another process rotated: read the keys again (at most
		// once a second, so random key IDs cannot hammer the store).
		if pk, err = k.load(ctx, poolID, false, true); err != nil {
			return nil, err
		}
		kk = pk.byKID[kid]
	}
	if kk == nil {
		return nil, ErrInvalid
	}
	payload, err := obj.Verify(&kk.private.PublicKey)
	if err != nil {
		return nil, ErrInvalid
	}
	return payload, nil
}

// JWKS returns the pool's published public keys, newest first.
func (k *Keys) JWKS(ctx context.Context, poolID string) (jose.JSONWebKeySet, error) {
	pk, err := k.load(ctx, poolID, true, false)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}}
	if pk.active != nil {
		set.Keys = append(set.Keys, publicJWK(pk.active))
	}
	for _, kk := range pk.byKID {
		if kk != pk.active {
			set.Keys = append(set.Keys, publicJWK(kk))
		}
	}
	return set, nil
}

func publicJWK(kk *key) jose.JSONWebKey {
	return jose.JSONWebKey{Key: &kk.private.PublicKey, KeyID: kk.kid, Algorithm: string(jose.RS256), Use: "sig"}
}

// Rotate makes a new key the pool's active key; the old one stays published
// for MaxLifetime, and keys retired longer ago than that are deleted.
func (k *Keys) Rotate(ctx context.Context, poolID string) (newKID string, err error) {
	now := k.now().UTC().Truncate(time.Microsecond)
	fresh, err := generate(poolID, now)
	if err != nil {
		return "", err
	}
	err = k.store.Update(ctx, func(tx store.Tx) error {
		cur, err := tx.ListSigningKeys(ctx, poolID)
		if err != nil {
			return err
		}
		for _, sk := range cur {
			switch {
			case sk.RetiredAt.IsZero():
				if err := tx.RetireSigningKey(ctx, poolID, sk.KID, now); err != nil {
					return err
				}
			case now.After(sk.RetiredAt.Add(MaxLifetime)):
				if err := tx.DeleteSigningKey(ctx, poolID, sk.KID); err != nil {
					return err
				}
			}
		}
		return tx.AddSigningKey(ctx, fresh)
	})
	if err != nil {
		return "", err
	}
	if _, err := k.load(ctx, poolID, false, true); err != nil {
		return "", err
	}
	return fresh.KID, nil
}
