// Pure: the text of a CSV file of KPI actuals chosen for upload, or why it cannot be read as one.
export const MAX_CSV_FILE_BYTES = 512 * 1024;

export type CsvFileReading = { text: string } | { problem: string };

/**
 * A spreadsheet's CSV export (.csv, or .txt) in UTF-8, or in Windows-1251 as a Russian Excel saves it.
 * Anything else, a workbook (.xlsx) or a picture, is refused by its name or its NUL bytes: CSV has none.
 */
export function readCsvFile(file: { name: string; size: number; bytes: Uint8Array }): CsvFileReading {
  if (!/\.(csv|txt)$/i.test(file.name.trim()) || file.bytes.includes(0)) return { problem: 'choose a CSV file (.csv or .txt), as a spreadsheet saves it' };
  if (file.size > MAX_CSV_FILE_BYTES) return { problem: `the file is larger than ${MAX_CSV_FILE_BYTES / 1024} KB: import it in parts` };
  if (!file.size) return { problem: 'the file is empty' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(file.bytes) };
  } catch {
    return { text: new TextDecoder('windows-1251').decode(file.bytes) };
  }
}
