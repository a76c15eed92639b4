/**
 * Small seeded random numbers in plain JS: a reproducible run needs the same weights *and* the same
 * mini-batch order, and neither may depend on how many other random draws happened in the notebook.
 *
 * @module
 */

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a 32-bit generator, tiny and fast, statistically fine for shuffling and for drawing
 * seeds (not for cryptography). Same seed ⇒ same sequence, on every platform.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks a user-supplied seed; `field` names the option in the error message. */
export function checkSeed(seed: unknown, field: string): number {
  if (!(typeof seed === "number" && Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new Error(`${field} must be an integer in [0, 2^32), such as 42, got ${String(seed)}`);
  }
  return seed;
}

/** A fresh seed for runs that were not given one; reported back so the run can be repeated. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x100000000) >>> 0;
}

/**
 * A stream of integer seeds derived from one seed, one per initialiser. Deriving (rather than reusing
 * the seed) matters: layers of equal shape given the same seed would start with identical weights.
 */
export function seedStream(seed: number): () => number {
  const rng = mulberry32(seed ^ 0x9e3779b9);
  return () => Math.floor(rng() * 0x7fffffff);
}

/** Fisher–Yates shuffle of `a` in place with `rng`; returns `a`. */
export function shuffleInPlace<T>(a: T[] | Int32Array, rng: Rng): T[] | Int32Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = a[i];
    a[i] = a[j];
    a[j] = tmp;
  }
  return a;
}
