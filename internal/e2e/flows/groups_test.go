package flows

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestGroupsAndTokenClaims(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("gus")
	f.confirmedUser("hal")
	mk := func(name string, precedence *int32, role string) {
		in := &cip.CreateGroupInput{UserPoolId: &f.poolID, GroupName: &name, Precedence: precedence, Description: aws.String(name + " group")}
		if role != "" {
			in.RoleArn = &role
		}
		out, err := f.c.CreateGroup(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.Group.GroupName) != name || aws.ToString(out.Group.UserPoolId) != f.poolID {
			t.Fatalf("CreateGroup = %+v", out.Group)
		}
	}
	mk("staff", aws.Int32(10), "arn:aws:iam::000000000000:role/staff")
	mk("admins", aws.Int32(1), "arn:aws:iam::000000000000:role/admins")
	mk("beta", nil, "")
	_, err := f.c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &f.poolID, GroupName: aws.String("beta")})
	wantErr[*types.GroupExistsException](t, err, "A group with the name beta already exists.")
	_, err = f.c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: &f.poolID, GroupName: aws.String("nope")})
	wantErr[*types.ResourceNotFoundException](t, err, "Group not found.")

	for _, g := range []string{"beta", "staff", "admins"} {
		if _, err := f.c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &f.poolID, Username: aws.String("gus"), GroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = f.c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &f.poolID, Username: aws.String("nobody"), GroupName: aws.String("beta")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")

	out, err := f.passwordAuth("gus", password)
	if err != nil {
		t.Fatal(err)
	}
	id := f.verifyJWT(aws.ToString(out.AuthenticationResult.IdToken))
	access := f.verifyJWT(aws.ToString(out.AuthenticationResult.AccessToken))
	want := "[admins staff beta]"
	if fmt.Sprint(id["cognito:groups"]) != want || fmt.Sprint(access["cognito:groups"]) != want {
		t.Fatalf("cognito:groups id=%v access=%v, want %s", id["cognito:groups"], access["cognito:groups"], want)
	}
	if id["cognito:preferred_role"] != "arn:aws:iam::000000000000:role/admins" || fmt.Sprint(id["cognito:roles"]) != "[arn:aws:iam::000000000000:role/admins arn:aws:iam::000000000000:role/staff]" {
		t.Fatalf("roles: %v / %v", id["cognito:preferred_role"], id["cognito:roles"])
	}
	// A user in no group has no group claims.
	other, _ := f.passwordAuth("hal", password)
	if c := f.verifyJWT(aws.ToString(other.AuthenticationResult.IdToken)); c["cognito:groups"] != nil {
		t.Fatalf("hal has groups: %v", c["cognito:groups"])
	}

	lg, err := f.c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &f.poolID, Username: aws.String("gus"), Limit: aws.Int32(2)})
	if err != nil || len(lg.Groups) != 2 || lg.NextToken == nil {
		t.Fatalf("AdminListGroupsForUser = %+v, %v", lg, err)
	}
	lg2, _ := f.c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &f.poolID, Username: aws.String("gus"), Limit: aws.Int32(2), NextToken: lg.NextToken})
	if len(lg2.Groups) != 1 || lg2.NextToken != nil {
		t.Fatalf("second page = %+v", lg2)
	}
	members, err := f.c.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: &f.poolID, GroupName: aws.String("staff")})
	if err != nil || len(members.Users) != 1 || aws.ToString(members.Users[0].Username) != "gus" {
		t.Fatalf("ListUsersInGroup = %+v, %v", members, err)
	}
	if _, err := f.c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: &f.poolID, GroupName: aws.String("beta"), Precedence: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	g, _ := f.c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: &f.poolID, GroupName: aws.String("beta")})
	if aws.ToInt32(g.Group.Precedence) != 0 || aws.ToString(g.Group.Description) != "beta group" {
		t.Fatalf("after UpdateGroup: %+v", g.Group)
	}
	if _, err := f.c.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: &f.poolID, Username: aws.String("gus"), GroupName: aws.String("staff")}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: &f.poolID, GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	out, _ = f.passwordAuth("gus", password)
	if c := f.verifyJWT(aws.ToString(out.AuthenticationResult.IdToken)); fmt.Sprint(c["cognito:groups"]) != "[beta]" {
		t.Fatalf("groups after changes = %v", c["cognito:groups"])
	}
	all, err := f.c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: &f.poolID})
	if err != nil || len(all.Groups) != 2 {
		t.Fatalf("ListGroups = %+v, %v", all, err)
	}
}
