// Reads pasted KPI actuals as CSV: week, metric, network, value a line. Pure; each broken row is named.
export interface CsvRow {
  /** The line number in the text, counting from 1, as a spreadsheet shows it. */
  line: number;
  cells: string[];
}

/** Splits CSV text into rows of cells: quotes, doubled quotes inside them, commas or semicolons (a Russian spreadsheet's separator). */
export function parseCsv(text: string): CsvRow[] {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.split(/\r?\n/, 1)[0] ?? '';
  const separator = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells: cells.map((c) => c.trim()) });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (inQuotes) {
      if (c === '"' && source[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') inQuotes = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"') inQuotes = true;
    else if (c === separator) (cells.push(cell), (cell = ''));
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += c;
  }
  endRow();
  return rows;
}

/** A number as people type it: 1234, 1 234, 12.5 or 12,5. */
export function readNumber(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : null;
}

/** A header row names its columns rather than holding a figure: it is skipped. */
export const isHeader = (row: CsvRow) => row.cells.length >= 4 && readNumber(row.cells[3]!) === null && !/^\d{4}-W\d\d$/i.test(row.cells[0]!);
