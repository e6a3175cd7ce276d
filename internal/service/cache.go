package service

import (
	"bytes"
	"encoding/json"
	"sync"

	"github.com/userpool/userpool/api"
)

// settingsCache keeps decoded pool and client settings, so read-only
// requests need not decode the same JSON document again and again. An entry
// is used only while the stored bytes are identical, so an update by this or
// any other process sharing the store is seen at once. Values from the cache
// are shared: only read paths (outside transactions) use them, and they
// must not be modified.
type settingsCache[T any] struct {
	m sync.Map // id → *cacheEntry[T]
}

type cacheEntry[T any] struct {
	raw []byte
	cfg *T
}

// decode returns the settings document raw, decoded. With shared, the
// value may come from (and goes into) the cache.
func (c *settingsCache[T]) decode(id string, raw []byte, shared bool) (*T, error) {
	if shared {
		if cfg := c.get(id, raw); cfg != nil {
			return cfg, nil
		}
	}
	cfg := new(T)
	if err := json.Unmarshal(raw, cfg); err != nil {
		return nil, err
	}
	if shared {
		c.put(id, raw, cfg)
	}
	return cfg, nil
}

func (c *settingsCache[T]) get(id string, raw []byte) *T {
	if v, ok := c.m.Load(id); ok {
		if e := v.(*cacheEntry[T]); bytes.Equal(e.raw, raw) {
			return e.cfg
		}
	}
	return nil
}

func (c *settingsCache[T]) put(id string, raw []byte, cfg *T) {
	c.m.Store(id, &cacheEntry[T]{raw: raw, cfg: cfg})
}

var (
	poolSettings   settingsCache[api.UserPoolType]
	clientSettings settingsCache[api.UserPoolClientType]
)
