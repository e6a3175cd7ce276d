package srp

import (
	"crypto/subtle"
	"sync"

	"filippo.io/bigmod"
)

// Fixed-base exponentiation of g. Every hot path raises the fixed generator
// to a secret 256-bit power (g^x in CheckPassword and NewVerifier, g^b in
// NewServerHandshake and RestoreServerHandshake, g^a and g^x in the client).
// With a precomputed table T[i][j] = g^(j·16^i), g^e is the product of one
// entry per 4-bit digit of e: 64 modular multiplications instead of the ~320
// of a generic windowed exponentiation. Table entries are selected with a
// masked scan over all 16 candidates, so memory access and timing do not
// depend on e; the multiplications are bigmod's constant-time Mul.

const (
	fixedExpBytes = secretSize        // longest exponent served by the table
	fixedWindows  = fixedExpBytes * 2 // 4-bit digits
)

var (
	fixedOnce  sync.Once
	fixedTable [][16][]uint // [digit position][digit value] → limbs of g^(value·16^pos)
)

func buildFixedTable() {
	fixedTable = make([][16][]uint, fixedWindows)
	base := bigmod.NewNat().Mod(gNat, nMod) // g^(16^i)
	for i := range fixedTable {
		cur := bigmod.NewNat().Mod(oneNat(), nMod)
		for j := range 16 {
			fixedTable[i][j] = append([]uint(nil), cur.Bits()...)
			cur.Mul(base, nMod)
		}
		// cur is now base^16 = g^(16^(i+1)).
		base = cur
	}
}

func oneNat() *bigmod.Nat {
	return mustNat([]byte{1})
}

// expG returns g^e mod N in time that depends only on len(e).
func expG(e []byte) *bigmod.Nat {
	if len(e) > fixedExpBytes {
		return bigmod.NewNat().Exp(gNat, e, nMod)
	}
	fixedOnce.Do(buildFixedTable)
	acc := oneNat()
	sel := oneNat()
	selLimbs := sel.Bits() // shares sel's storage (documented by bigmod)
	off := fixedExpBytes - len(e)
	for i := range fixedWindows {
		// digit i (least significant first) of e, left-padded with zero bytes
		byteIdx := fixedExpBytes - 1 - i/2
		var digit byte
		if byteIdx >= off {
			digit = (e[byteIdx-off] >> (4 * (i % 2))) & 0x0f
		}
		clear(selLimbs)
		for j := range 16 {
			mask := -uint(subtle.ConstantTimeByteEq(digit, byte(j)))
			row := fixedTable[i][j]
			for k := range selLimbs {
				selLimbs[k] |= mask & row[k]
			}
		}
		acc.Mul(sel, nMod)
	}
	return acc
}
