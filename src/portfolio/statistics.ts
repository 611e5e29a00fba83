// Descriptive statistics for the firm's benchmarks: pure functions over plain numbers, no I/O.

/** The five numbers a box plot draws, with the count they were taken from. */
export interface Spread {
  count: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/**
 * The p-quantile (0 <= p <= 1) by linear interpolation between the closest ranks (R's type 7, the
 * spreadsheet QUARTILE.INC): the median of [1, 2, 3, 4] is 2.5 and its first quartile 1.75.
 */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('a quantile needs at least one value');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a quantile's p lies between 0 and 1, not ${p}`);
  const rank = (sorted.length - 1) * p;
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (rank - below);
}

/** Median and quartiles of the values (in any order); null when there are none to describe. */
export function spreadOf(values: readonly number[]): Spread | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0]!,
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    max: sorted.at(-1)!,
  };
}

/**
 * Pearson's correlation of paired values, from -1 to 1; null with fewer than three pairs or when
 * either side does not vary (a correlation of a constant is undefined, not zero).
 */
export function correlation(pairs: readonly { x: number; y: number }[]): number | null {
  if (pairs.length < 3) return null;
  const mean = (pick: (p: { x: number; y: number }) => number) => pairs.reduce((s, p) => s + pick(p), 0) / pairs.length;
  const mx = mean((p) => p.x);
  const my = mean((p) => p.y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const { x, y } of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Where a value stands against a spread: below the first quartile, inside the middle half, or above
 * the third; the words the comparison page uses ("faster than most", "slower than most").
 */
export function positionIn(spread: Spread, value: number): 'below' | 'within' | 'above' {
  if (value < spread.q1) return 'below';
  if (value > spread.q3) return 'above';
  return 'within';
}

/** Rounds for display with one decimal, so 2.25 days reads 2.3 and 3 reads 3. */
export const oneDecimal = (value: number) => Math.round(value * 10) / 10;
