// How much of a planned change was achieved, computed from a row's baseline, target and actual: pure.
import type { ColumnDefinition } from '../methodology/methodology.schema.ts';
import { formatNumberWith } from '../intl-formats.ts';

type Locale = 'en' | 'ru';

/**
 * Per cent of the way from the baseline to the target that the actual value covers:
 * (actual − baseline) ÷ (target − baseline) × 100, rounded to a whole per cent. A missing baseline
 * counts from zero. Because the formula measures the distance travelled, it needs no "higher is
 * better" flag: a target below the baseline makes a fall the progress. Over 100 means the target was
 * beaten; below 0, the indicator moved away from it. Without a target or an actual value, or when the
 * target is the baseline itself (nothing to travel), there is nothing to compute: null.
 */
export function percentAchieved(baseline: unknown, target: unknown, actual: unknown): number | null {
  const start = typeof baseline === 'number' ? baseline : 0;
  if (typeof target !== 'number' || typeof actual !== 'number' || target === start) return null;
  const percent = Math.round(((actual - start) / (target - start)) * 100);
  // Math.round(-0.4) is -0, which would print as "-0 %".
  return percent === 0 ? 0 : percent;
}

/** The achievement of one table row, by the columns its definition names. */
export function achievementOf(column: Pick<ColumnDefinition, 'from'>, row: Record<string, unknown>): number | null {
  if (!column.from) return null;
  return percentAchieved(row[column.from.baseline], row[column.from.target], row[column.from.actual]);
}

export function formatPercent(percent: number | null, locale: Locale, empty = '—'): string {
  return percent === null ? empty : formatNumberWith(locale, percent / 100, { style: 'percent' });
}

/** The rule in the reader's words, printed under a table that has an achievement column. */
export const achievementRule: Record<Locale, (column: string) => string> = {
  en: (column) =>
    `${column} is computed, not entered: (actual − baseline) ÷ (target − baseline) × 100, rounded to a whole per cent; with no baseline it counts from zero. Over 100% means the target was beaten, below 0% that the indicator moved away from it; with no target or actual value, or a target equal to the baseline, it stays empty.`,
  ru: (column) =>
    `«${column}» не вводится, а вычисляется: (факт − исходное) ÷ (цель − исходное) × 100, с округлением до целого процента; если исходное значение не указано, отсчёт идёт от нуля. Больше 100 % — цель перевыполнена, меньше 0 % — показатель ушёл в обратную сторону; без цели или факта, а также когда цель равна исходному значению, графа остаётся пустой.`,
};
