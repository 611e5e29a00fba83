// Intl formatters made once per language and options: building one costs far more than using it, and a
// page formats dozens of dates (toLocaleDateString with options builds a new formatter on every call).
type Language = 'en' | 'ru';

const made = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
const tagOf = (language: Language) => (language === 'ru' ? 'ru-RU' : 'en-GB');

function memo<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let found = made.get(key) as T | undefined;
  if (!found) made.set(key, (found = make()));
  return found;
}

/** The same text as `date.toLocaleDateString(tag, options)` / `toLocaleString`, from a shared formatter. */
export function formatDateWith(language: Language, options: Intl.DateTimeFormatOptions, date: Date): string {
  if (Number.isNaN(date.getTime())) return 'Invalid Date'; // what toLocale*String gives; format() would throw
  return memo(`d|${language}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(tagOf(language), options)).format(date);
}

/** The same text as `value.toLocaleString(tag, options)`; throws like Intl.NumberFormat on options it refuses. */
export function formatNumberWith(language: Language, value: number, options: Intl.NumberFormatOptions = {}): string {
  return memo(`n|${language}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(tagOf(language), options)).format(value);
}
