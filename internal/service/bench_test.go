package service_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/service"
	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store/sqlite"
)

// benchEnv is a service on a real SQLite store with one pool, one client
// (all password flows allowed) and one confirmed user.
type benchEnv struct {
	svc      *service.Service
	poolID   string
	clientID string
}

const benchPassword = "Passw0rd!"

func newBenchEnv(b *testing.B) *benchEnv {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	svc, err := service.New(ctx, st, service.Options{})
	if err != nil {
		b.Fatal(err)
	}
	pool, err := svc.CreateUserPool(ctx, &api.CreateUserPoolRequest{PoolName: api.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	poolID := api.ToString(pool.UserPool.Id)
	cl, err := svc.CreateUserPoolClient(ctx, &api.CreateUserPoolClientRequest{UserPoolId: &poolID, ClientName: api.String("c"),
		ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		b.Fatal(err)
	}
	e := &benchEnv{svc: svc, poolID: poolID, clientID: api.ToString(cl.UserPoolClient.ClientId)}
	if _, err := svc.SignUp(ctx, &api.SignUpRequest{ClientId: &e.clientID, Username: api.String("bench"), Password: api.String(benchPassword)}); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.AdminConfirmSignUp(ctx, &api.AdminConfirmSignUpRequest{UserPoolId: &poolID, Username: api.String("bench")}); err != nil {
		b.Fatal(err)
	}
	// Warm the pool's signing key.
	if _, err := e.passwordAuth(ctx); err != nil {
		b.Fatal(err)
	}
	return e
}

func (e *benchEnv) passwordAuth(ctx context.Context) (*api.InitiateAuthResponse, error) {
	return e.svc.InitiateAuth(ctx, &api.InitiateAuthRequest{ClientId: &e.clientID, AuthFlow: api.String("USER_PASSWORD_AUTH"),
		AuthParameters: map[string]string{"USERNAME": "bench", "PASSWORD": benchPassword}})
}

func (e *benchEnv) srpChallenge(ctx context.Context, b *testing.B, cl *srp.Client) map[string]string {
	out, err := e.svc.InitiateAuth(ctx, &api.InitiateAuthRequest{ClientId: &e.clientID, AuthFlow: api.String("USER_SRP_AUTH"),
		AuthParameters: map[string]string{"USERNAME": "bench", "SRP_A": cl.PublicAHex()}})
	if err != nil {
		b.Fatal(err)
	}
	return out.ChallengeParameters
}

// BenchmarkPasswordAuth is a whole USER_PASSWORD_AUTH sign-in: one g^x
// check against the verifier, a refresh token stored, two tokens signed.
func BenchmarkPasswordAuth(b *testing.B) {
	e := newBenchEnv(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.passwordAuth(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSRPChallenge is the server's first SRP leg (InitiateAuth
// USER_SRP_AUTH): B = k·v + g^b and the sealed SECRET_BLOCK.
func BenchmarkSRPChallenge(b *testing.B) {
	e := newBenchEnv(b)
	ctx := context.Background()
	cl, _ := srp.NewClient()
	b.ReportAllocs()
	for b.Loop() {
		e.srpChallenge(ctx, b, cl)
	}
}

// BenchmarkSRPVerify is the server's second SRP leg (RespondToAuthChallenge
// PASSWORD_VERIFIER): S = (A·v^u)^b, the proof check, tokens.
func BenchmarkSRPVerify(b *testing.B) {
	e := newBenchEnv(b)
	ctx := context.Background()
	type answer map[string]string
	// Prepare the client side outside the timer: it is the client's work.
	answers := make([]answer, 0, 64)
	prepare := func() answer {
		cl, _ := srp.NewClient()
		cp := e.srpChallenge(ctx, b, cl)
		sig, ts, err := cl.Claim(srp.PoolName(e.poolID), cp["USER_ID_FOR_SRP"], benchPassword, cp["SALT"], cp["SRP_B"], cp["SECRET_BLOCK"], time.Now())
		if err != nil {
			b.Fatal(err)
		}
		return answer{"USERNAME": cp["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"], "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if len(answers) == 0 {
			for range cap(answers) {
				answers = append(answers, prepare())
			}
		}
		a := answers[len(answers)-1]
		answers = answers[:len(answers)-1]
		b.StartTimer()
		out, err := e.svc.RespondToAuthChallenge(ctx, &api.RespondToAuthChallengeRequest{ClientId: &e.clientID,
			ChallengeName: api.String("PASSWORD_VERIFIER"), ChallengeResponses: a})
		if err != nil || out.AuthenticationResult == nil {
			b.Fatal(out, err)
		}
	}
}

// BenchmarkTokenRefresh is REFRESH_TOKEN_AUTH: a lookup and two signatures,
// no password work: the cost of signing tokens.
func BenchmarkTokenRefresh(b *testing.B) {
	e := newBenchEnv(b)
	ctx := context.Background()
	first, err := e.passwordAuth(ctx)
	if err != nil {
		b.Fatal(err)
	}
	params := map[string]string{"REFRESH_TOKEN": api.ToString(first.AuthenticationResult.RefreshToken)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.svc.InitiateAuth(ctx, &api.InitiateAuthRequest{ClientId: &e.clientID, AuthFlow: api.String("REFRESH_TOKEN_AUTH"), AuthParameters: params}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModExpFloor is one 3072-bit modular exponentiation with a
// 256-bit exponent (math/big, variable time): the physical floor the SRP
// legs are measured against.
func BenchmarkModExpFloor(b *testing.B) {
	n, _ := new(big.Int).SetString("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)
	e := new(big.Int).Lsh(big.NewInt(1), 255)
	e.Add(e, big.NewInt(12345))
	g := big.NewInt(2)
	x := new(big.Int).Exp(big.NewInt(3), big.NewInt(1000), n)
	b.ReportAllocs()
	for b.Loop() {
		g.Exp(x, e, n)
	}
}
