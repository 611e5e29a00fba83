// Message catalogs for the interface; plurals follow each language's own rules (Intl.PluralRules).
import { en, type Catalog } from './en.ts';
import { ru } from './ru.ts';

export const locales = ['en', 'ru'] as const;
export type Locale = (typeof locales)[number];
export const isLocale = (value: unknown): value is Locale => locales.includes(value as Locale);

const catalogs: Record<Locale, Catalog> = { en, ru };
const pluralRules = { en: new Intl.PluralRules('en'), ru: new Intl.PluralRules('ru') };

export type Params = Record<string, string | number>;
export type Translate = (key: string, params?: Params) => string;

function lookup(catalog: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), catalog);
}

function interpolate(text: string, params: Params): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A key that is missing in the language falls back to English, then to the key itself. */
export function translate(locale: Locale, key: string, params: Params = {}): string {
  let entry = lookup(catalogs[locale], key) ?? lookup(en, key);
  if (entry && typeof entry === 'object' && 'other' in entry) {
    const forms = entry as Record<string, string>;
    entry = forms[pluralRules[locale].select(Number(params.count ?? 0))] ?? forms.other;
  }
  return typeof entry === 'string' ? interpolate(entry, params) : key;
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

/** Service messages are written in English; the catalog carries their Russian where a person meets them. */
export function translateMessage(locale: Locale, message: string): string {
  if (locale === 'en') return message;
  const known = (catalogs[locale] as Catalog).serviceMessages as Record<string, string>;
  if (known[message]) return known[message];
  // A message with numbers or quoted names in it is found by its shape: "at most 200 rows" -> "at most {0} rows".
  const values: string[] = [];
  const shape = message.replace(/"[^"]*"|-?\d+(?:\.\d+)?/g, (value) => `{${values.push(value) - 1}}`);
  const template = known[shape];
  return template ? template.replace(/\{(\d+)\}/g, (whole, i: string) => values[Number(i)] ?? whole) : message;
}

export function pickLocale(acceptLanguage: string | undefined): Locale {
  return /^\s*ru\b/i.test(acceptLanguage ?? '') ? 'ru' : 'en';
}
