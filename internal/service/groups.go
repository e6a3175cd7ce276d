package service

import (
	"context"
	"errors"
	"sort"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/store"
)

// User groups: a user's groups appear in their tokens as cognito:groups
// (with cognito:roles and cognito:preferred_role when groups carry roles).

var errGroupNotFound = api.NewResourceNotFoundException("Group not found.")

func groupOut(g store.Group) api.GroupType {
	out := api.GroupType{
		GroupName:        api.String(g.Name),
		UserPoolId:       api.String(g.PoolID),
		CreationDate:     api.NewTimestamp(g.CreatedAt),
		LastModifiedDate: api.NewTimestamp(g.UpdatedAt),
	}
	if g.Description != "" {
		out.Description = api.String(g.Description)
	}
	if g.HasPrecedence {
		out.Precedence = api.Int32(g.Precedence)
	}
	if g.RoleArn != "" {
		out.RoleArn = api.String(g.RoleArn)
	}
	return out
}

// CreateGroup adds a group to a pool.
func (s *Service) CreateGroup(ctx context.Context, in *api.CreateGroupRequest) (*api.CreateGroupResponse, error) {
	now := s.clock()
	g := store.Group{Name: api.ToString(in.GroupName), Description: api.ToString(in.Description), RoleArn: api.ToString(in.RoleArn), CreatedAt: now, UpdatedAt: now}
	if in.Precedence != nil {
		g.Precedence, g.HasPrecedence = *in.Precedence, true
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		p, err := loadPool(ctx, tx, api.ToString(in.UserPoolId))
		if err != nil {
			return err
		}
		g.PoolID = p.ID
		err = tx.CreateGroup(ctx, g)
		if errors.Is(err, store.ErrAlreadyExists) {
			return api.NewGroupExistsException("A group with the name " + g.Name + " already exists.")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := groupOut(g)
	return &api.CreateGroupResponse{Group: &out}, nil
}

// loadGroup finds a group of a pool.
func loadGroup(ctx context.Context, r store.Reader, poolID, name string) (*pool, store.Group, error) {
	p, err := loadPool(ctx, r, poolID)
	if err != nil {
		return nil, store.Group{}, err
	}
	g, err := r.GetGroup(ctx, p.ID, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, g, errGroupNotFound
	}
	return p, g, err
}

// GetGroup returns a group.
func (s *Service) GetGroup(ctx context.Context, in *api.GetGroupRequest) (*api.GetGroupResponse, error) {
	_, g, err := loadGroup(ctx, s.store, api.ToString(in.UserPoolId), api.ToString(in.GroupName))
	if err != nil {
		return nil, err
	}
	out := groupOut(g)
	return &api.GetGroupResponse{Group: &out}, nil
}

// UpdateGroup changes a group's description, precedence and role; fields
// left out keep their values.
func (s *Service) UpdateGroup(ctx context.Context, in *api.UpdateGroupRequest) (*api.UpdateGroupResponse, error) {
	var g store.Group
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		if _, g, err = loadGroup(ctx, tx, api.ToString(in.UserPoolId), api.ToString(in.GroupName)); err != nil {
			return err
		}
		if in.Description != nil {
			g.Description = *in.Description
		}
		if in.Precedence != nil {
			g.Precedence, g.HasPrecedence = *in.Precedence, true
		}
		if in.RoleArn != nil {
			g.RoleArn = *in.RoleArn
		}
		g.UpdatedAt = s.clock()
		return tx.UpdateGroup(ctx, g)
	})
	if err != nil {
		return nil, err
	}
	out := groupOut(g)
	return &api.UpdateGroupResponse{Group: &out}, nil
}

// DeleteGroup deletes a group; its members stay, without it.
func (s *Service) DeleteGroup(ctx context.Context, in *api.DeleteGroupRequest) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		p, g, err := loadGroup(ctx, tx, api.ToString(in.UserPoolId), api.ToString(in.GroupName))
		if err != nil {
			return err
		}
		return tx.DeleteGroup(ctx, p.ID, g.Name)
	})
}

// ListGroups pages through a pool's groups.
func (s *Service) ListGroups(ctx context.Context, in *api.ListGroupsRequest) (*api.ListGroupsResponse, error) {
	p, err := loadPool(ctx, s.store, api.ToString(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(api.ToString(in.NextToken))
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.Limit)
	groups, err := s.store.ListGroups(ctx, p.ID, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &api.ListGroupsResponse{Groups: []api.GroupType{}}
	if len(groups) > limit {
		groups = groups[:limit]
		out.NextToken = api.String(encodeToken(groups[limit-1].Name))
	}
	for _, g := range groups {
		out.Groups = append(out.Groups, groupOut(g))
	}
	return out, nil
}

// pageLimit is a list operation's Limit, 60 (Cognito's maximum) when unset.
func pageLimit(limit *int32) int {
	if limit == nil || *limit <= 0 {
		return 60
	}
	return int(*limit)
}

// AdminAddUserToGroup adds a user to a group.
func (s *Service) AdminAddUserToGroup(ctx context.Context, in *api.AdminAddUserToGroupRequest) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		p, g, err := loadGroup(ctx, tx, api.ToString(in.UserPoolId), api.ToString(in.GroupName))
		if err != nil {
			return err
		}
		u, err := p.mustFindUser(ctx, tx, api.ToString(in.Username))
		if err != nil {
			return err
		}
		return tx.AddUserToGroup(ctx, p.ID, g.Name, u.Username)
	})
}

// AdminRemoveUserFromGroup removes a user from a group.
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, in *api.AdminRemoveUserFromGroupRequest) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		p, g, err := loadGroup(ctx, tx, api.ToString(in.UserPoolId), api.ToString(in.GroupName))
		if err != nil {
			return err
		}
		u, err := p.mustFindUser(ctx, tx, api.ToString(in.Username))
		if err != nil {
			return err
		}
		return tx.RemoveUserFromGroup(ctx, p.ID, g.Name, u.Username)
	})
}

// AdminListGroupsForUser lists a user's groups.
func (s *Service) AdminListGroupsForUser(ctx context.Context, in *api.AdminListGroupsForUserRequest) (*api.AdminListGroupsForUserResponse, error) {
	p, err := loadPool(ctx, s.store, api.ToString(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	u, err := p.mustFindUser(ctx, s.store, api.ToString(in.Username))
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(api.ToString(in.NextToken))
	if err != nil {
		return nil, err
	}
	groups, err := s.store.ListGroupsOfUser(ctx, p.ID, u.Username)
	if err != nil {
		return nil, err
	}
	out := &api.AdminListGroupsForUserResponse{Groups: []api.GroupType{}}
	limit := pageLimit(in.Limit)
	for _, g := range groups {
		if g.Name <= after {
			continue
		}
		if len(out.Groups) == limit {
			out.NextToken = api.String(encodeToken(api.ToString(out.Groups[limit-1].GroupName)))
			break
		}
		out.Groups = append(out.Groups, groupOut(g))
	}
	return out, nil
}

// ListUsersInGroup pages through a group's members.
func (s *Service) ListUsersInGroup(ctx context.Context, in *api.ListUsersInGroupRequest) (*api.ListUsersInGroupResponse, error) {
	p, g, err := loadGroup(ctx, s.store, api.ToString(in.UserPoolId), api.ToString(in.GroupName))
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(api.ToString(in.NextToken))
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.Limit)
	users, err := s.store.ListUsersInGroup(ctx, p.ID, g.Name, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &api.ListUsersInGroupResponse{Users: []api.UserType{}}
	if len(users) > limit {
		users = users[:limit]
		out.NextToken = api.String(encodeToken(users[limit-1].Username))
	}
	for i := range users {
		out.Users = append(out.Users, userOut(&users[i], nil))
	}
	return out, nil
}

// groupClaims are the token claims of a user's groups: names ordered by
// precedence (groups without one last, then by name), their roles, and the
// role of the group with the lowest precedence.
func groupClaims(groups []store.Group) map[string]any {
	if len(groups) == 0 {
		return nil
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if a.HasPrecedence != b.HasPrecedence {
			return a.HasPrecedence
		}
		if a.Precedence != b.Precedence {
			return a.Precedence < b.Precedence
		}
		return a.Name < b.Name
	})
	claims := map[string]any{}
	var names, roles []string
	preferred := ""
	for _, g := range groups {
		names = append(names, g.Name)
		if g.RoleArn != "" {
			roles = append(roles, g.RoleArn)
			if preferred == "" {
				preferred = g.RoleArn
			}
		}
	}
	claims["cognito:groups"] = names
	if len(roles) > 0 {
		claims["cognito:roles"] = roles
		claims["cognito:preferred_role"] = preferred
	}
	return claims
}
