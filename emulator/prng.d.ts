// Types of prng.js: the seeded PRNG the emulator (and some tests) use.

/** mulberry32: a function returning numbers in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed: number): () => number;
