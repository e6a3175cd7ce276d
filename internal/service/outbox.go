package service

import (
	"context"
	"errors"

	"github.com/userpool/userpool/internal/store"
)

// Outbox returns the messages userpool "sent" in a pool, oldest first; with
// a name (a username or anything the user can be found by), only theirs.
// It is a development aid: the HTTP layer serves it only outside
// production mode.
func (s *Service) Outbox(ctx context.Context, poolID, name string) ([]store.Message, error) {
	p, err := loadPool(ctx, s.store, poolID)
	if err != nil {
		return nil, err
	}
	username := name
	if name != "" {
		u, err := p.findUser(ctx, s.store, name)
		if err == nil {
			username = u.Username
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return s.store.ListMessages(ctx, p.ID, username)
}
