// The printed area of an A4 page with the margins set in templates/print.css (@page): keep them in step.
const MM = 96 / 25.4; // CSS pixels per millimetre

export const PAGE_MARGINS_MM = { top: 22, right: 16, bottom: 20, left: 16 };

export const PRINTABLE = {
  widthPx: (210 - PAGE_MARGINS_MM.left - PAGE_MARGINS_MM.right) * MM,
  heightPx: (297 - PAGE_MARGINS_MM.top - PAGE_MARGINS_MM.bottom) * MM,
};

/**
 * The page each section heading should land on: the sections start on `firstPage` and flow on.
 * A guess from the screen layout; the printed outline confirms or corrects it.
 */
export function predictPages(tops: number[], firstPage: number): number[] {
  const first = tops[0] ?? 0;
  return tops.map((top) => firstPage + Math.floor((top - first) / PRINTABLE.heightPx));
}
