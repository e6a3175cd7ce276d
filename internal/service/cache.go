package service

import (
	"bytes"
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
