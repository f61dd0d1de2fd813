#!/usr/bin/env python3
# Generates mont-fixed.ts: straight-line Montgomery multiply / modular add / sub for the fixed limb
# counts the curves use (8: P-256, Curve25519, Ed25519's L; 12: P-384). Unrolling keeps every limb
# in a local, which is where the speed over the generic loop in mont.ts comes from.
# Run: python3 assembly/crypto/bigint/gen-fixed.py > assembly/crypto/bigint/mont-fixed.ts
import sys

def qm(j, const):
    """q * m_j as an expression; with a constant modulus, limbs 0, 1, 2^32-1, 2^32-2 need no multiply."""
    if const is None:
        return f"q * m{j}"
    v = const[j]
    if v == 0:
        return None
    if v == 1:
        return "q"
    if v == 0xffffffff:
        return "((q << 32) - q)"
    if v == 0xfffffffe:
        return "((q << 32) - (q << 1))"
    return f"q * {v:#x}"

def mul(k, name=None, const=None):
    """CIOS Montgomery multiply; `const` (little-endian limbs) specialises it to one modulus with
    -m^-1 mod 2^32 = 1, i.e. m = -1 mod 2^32 (true of the NIST primes), so q is just t0."""
    o = []
    name = name or f"montMul{k}"
    if const is None:
        o.append(f"/** out = a * b * 2^-{32*k} mod m ({k} limbs, CIOS). out may alias a or b. */")
        o.append(f"export function {name}(out: usize, a: usize, b: usize, m: usize, m0inv: u64): void {{")
    else:
        o.append(f"/** out = a * b * 2^-{32*k} mod the fixed prime (CIOS, constant-folded reduction). */")
        o.append(f"export function {name}(out: usize, a: usize, b: usize): void {{")
    for j in range(k):
        if const is None:
            o.append(f"  const a{j} = <u64>load<u32>(a, {4*j}); const m{j} = <u64>load<u32>(m, {4*j});")
        else:
            o.append(f"  const a{j} = <u64>load<u32>(a, {4*j}); const m{j}: u64 = {const[j]:#x};")
    o.append("  " + " ".join(f"let t{j}: u64 = 0;" for j in range(k + 2)))
    o.append("  let s: u64, c: u64, q: u64, bi: u64;")
    for i in range(k):
        o.append(f"  bi = <u64>load<u32>(b, {4*i});")
        o.append("  c = 0;")
        for j in range(k):
            o.append(f"  s = t{j} + a{j} * bi + c; t{j} = s & 0xffffffff; c = s >> 32;")
        o.append(f"  s = t{k} + c; t{k} = s & 0xffffffff; t{k+1} = s >> 32;")
        if const is None:
            o.append("  q = (t0 * m0inv) & 0xffffffff;")
            o.append("  c = (t0 + q * m0) >> 32;")
        else:
            # m0 = 2^32 - 1 and q = t0: t0 + q*m0 = t0 * 2^32, so the carry is exactly t0.
            assert const[0] == 0xffffffff
            o.append("  q = t0;")
            o.append("  c = t0;")
        for j in range(1, k):
            e = qm(j, const)
            add = f" + {e}" if e else ""
            o.append(f"  s = t{j}{add} + c; t{j-1} = s & 0xffffffff; c = s >> 32;")
        o.append(f"  s = t{k} + c; t{k-1} = s & 0xffffffff; t{k} = t{k+1} + (s >> 32);")
    # conditional subtraction: d = t - m; keep d unless it borrowed beyond t_k
    o.append("  let br: u64 = 0;")
    for j in range(k):
        o.append(f"  const d{j} = t{j} - m{j} - br; br = (d{j} >> 63) & 1;")
    o.append(f"  const keep: u64 = <u64>(t{k} < br) - 1; // all ones when t >= m")
    for j in range(k):
        o.append(f"  store<u32>(out, <u32>((d{j} & keep) | (t{j} & ~keep)), {4*j});")
    o.append("}")
    return "\n".join(o)

def sqr(k, name, const):
    """Montgomery squaring for a constant modulus with m = -1 mod 2^32: the 2k-limb square by
    product scanning (each cross product once, doubled), then k rounds of REDC."""
    assert const[0] == 0xffffffff
    o = []
    o.append(f"/** out = a^2 * 2^-{32*k} mod the fixed prime (cross products computed once). */")
    o.append(f"export function {name}(out: usize, a: usize): void {{")
    for j in range(k):
        o.append(f"  const a{j} = <u64>load<u32>(a, {4*j});")
    o.append("  let lo: u64 = 0, hi: u64 = 0, p: u64 = 0, c: u64 = 0, s: u64 = 0, q: u64 = 0;")
    for col in range(2 * k - 1):
        o.append("  lo = 0; hi = 0;")
        for i in range(k):
            j = col - i
            if i < j < k:
                o.append(f"  p = a{i} * a{j}; lo += p & 0xffffffff; hi += p >> 32;")
        o.append("  lo <<= 1; hi <<= 1;")
        if col % 2 == 0:
            h = col // 2
            o.append(f"  p = a{h} * a{h}; lo += p & 0xffffffff; hi += p >> 32;")
        o.append(f"  lo += c & 0xffffffff; let t{col} = lo & 0xffffffff; c = (lo >> 32) + hi + (c >> 32);")
    o.append(f"  let t{2*k-1} = c;")
    o.append("  let top: u64 = 0;")
    for i in range(k):
        o.append(f"  q = t{i}; c = t{i};")
        for j in range(1, k):
            e = qm(j, const)
            add = f" + {e}" if e else ""
            o.append(f"  s = t{i+j}{add} + c; t{i+j} = s & 0xffffffff; c = s >> 32;")
        o.append(f"  s = t{i+k} + c + top; t{i+k} = s & 0xffffffff; top = s >> 32;")
    o.append("  let br: u64 = 0;")
    for j in range(k):
        o.append(f"  const d{j} = t{k+j} - {const[j]:#x} - br; br = (d{j} >> 63) & 1;")
    o.append("  const keep: u64 = <u64>(top < br) - 1; // all ones when the result >= m")
    for j in range(k):
        o.append(f"  store<u32>(out, <u32>((d{j} & keep) | (t{k+j} & ~keep)), {4*j});")
    o.append("}")
    return "\n".join(o)

def mref(j, const):
    return f"{const[j]:#x}" if const else f"<u64>load<u32>(m, {4*j})"

def add(k, name=None, const=None):
    o = []
    o.append(f"/** out = a + b mod m for a, b < m ({k} limbs). */")
    if const:
        o.append(f"export function {name}(out: usize, a: usize, b: usize): void {{")
    else:
        o.append(f"export function addMod{k}(out: usize, a: usize, b: usize, m: usize): void {{")
    o.append("  let s: u64 = 0;")
    for j in range(k):
        o.append(f"  s = <u64>load<u32>(a, {4*j}) + <u64>load<u32>(b, {4*j}) + (s >> 32); const t{j} = s & 0xffffffff;")
    o.append("  const top = s >> 32;")
    o.append("  let br: u64 = 0;")
    for j in range(k):
        o.append(f"  const d{j} = t{j} - {mref(j, const)} - br; br = (d{j} >> 63) & 1;")
    o.append("  const keep: u64 = <u64>(top < br) - 1; // all ones when a + b >= m")
    for j in range(k):
        o.append(f"  store<u32>(out, <u32>((d{j} & keep) | (t{j} & ~keep)), {4*j});")
    o.append("}")
    return "\n".join(o)

def sub(k, name=None, const=None):
    o = []
    o.append(f"/** out = a - b mod m for a, b < m ({k} limbs). */")
    if const:
        o.append(f"export function {name}(out: usize, a: usize, b: usize): void {{")
    else:
        o.append(f"export function subMod{k}(out: usize, a: usize, b: usize, m: usize): void {{")
    o.append("  let br: u64 = 0;")
    for j in range(k):
        o.append(f"  const d{j} = <u64>load<u32>(a, {4*j}) - <u64>load<u32>(b, {4*j}) - br; br = (d{j} >> 63) & 1;")
    o.append("  const mask: u64 = 0 - br; // add m back only when it borrowed")
    o.append("  let s: u64 = 0;")
    for j in range(k):
        o.append(f"  s = (d{j} & 0xffffffff) + ({mref(j, const)} & mask) + (s >> 32); store<u32>(out, <u32>s, {4*j});")
    o.append("}")
    return "\n".join(o)

def add64(w, name, const):
    """a + b mod p on 64-bit words (the u32 limbs of an Fe read pairwise as little-endian u64):
    half the instructions of the 32-bit version; carries come from unsigned compares."""
    o = [f"/** out = a + b mod the fixed prime, on {w} 64-bit words. */",
         f"export function {name}(out: usize, a: usize, b: usize): void {{"]
    o.append("  let c: u64 = 0, x: u64 = 0, y: u64 = 0;")
    for j in range(w):
        o.append(f"  x = load<u64>(a, {8*j}); y = x + load<u64>(b, {8*j}); const c{j} = <u64>(y < x); const s{j} = y + c; c = c{j} | <u64>(s{j} < y);")
    o.append("  const top = c;")
    o.append("  let br: u64 = 0;")
    for j in range(w):
        o.append(f"  y = s{j} - {const[j]:#x}; const b{j} = <u64>(s{j} < {const[j]:#x}); const d{j} = y - br; br = b{j} | <u64>(y < br);")
    o.append("  const keep: u64 = <u64>(top < br) - 1; // all ones when a + b >= p")
    for j in range(w):
        o.append(f"  store<u64>(out, (d{j} & keep) | (s{j} & ~keep), {8*j});")
    o.append("}")
    return "\n".join(o)

def sub64(w, name, const):
    o = [f"/** out = a - b mod the fixed prime, on {w} 64-bit words. */",
         f"export function {name}(out: usize, a: usize, b: usize): void {{"]
    o.append("  let br: u64 = 0, x: u64 = 0, y: u64 = 0;")
    for j in range(w):
        o.append(f"  x = load<u64>(a, {8*j}); const z{j} = load<u64>(b, {8*j}); y = x - z{j}; const b{j} = <u64>(x < z{j}); const d{j} = y - br; br = b{j} | <u64>(y < br);")
    o.append("  const mask: u64 = 0 - br; // add p back only when it borrowed")
    o.append("  let c: u64 = 0;")
    for j in range(w):
        o.append(f"  y = d{j} + ({const[j]:#x} & mask); x = <u64>(y < d{j}); store<u64>(out, y + c, {8*j}); c = x | <u64>(y + c < y);")
    o.append("}")
    return "\n".join(o)

def limbs(p, k):
    return [(p >> (32 * i)) & 0xffffffff for i in range(k)]

P256 = 2**256 - 2**224 + 2**192 + 2**96 - 1
P384 = 2**384 - 2**128 - 2**96 + 2**32 - 1

print("// GENERATED by gen-fixed.py -- do not edit by hand. Unrolled fixed-size field arithmetic.")
for k in (8, 12):
    print()
    print(mul(k))
    print()
    print(add(k))
    print()
    print(sub(k))
print()
print(mul(8, "montMulP256", limbs(P256, 8)))
print()
print(mul(12, "montMulP384", limbs(P384, 12)))
print()
print(sqr(8, "montSqrP256", limbs(P256, 8)))
print()
print(sqr(12, "montSqrP384", limbs(P384, 12)))
def words(p, w):
    return [(p >> (64 * i)) & 0xffffffffffffffff for i in range(w)]

for nm, w, p in (("P256", 4, P256), ("P384", 6, P384)):
    print()
    print(add64(w, f"add{nm}", words(p, w)))
    print()
    print(sub64(w, f"sub{nm}", words(p, w)))
