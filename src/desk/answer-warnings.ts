// Pure: the warnings an answer draft earns against the methodology's phrase lists (source 004): a stock
// phrase, sending the customer to another channel, a positive review answered without thanks.
import type { ReviewDesk } from '../methodology/review-desk.schema.ts';

export type WarningCode = 'stockPhrase' | 'otherChannel' | 'noThanks';

export interface AnswerWarning {
  code: WarningCode;
  /** The phrase found in the answer, as the methodology writes it; absent for a missing thanks. */
  phrase?: string;
}

export interface AnswerToCheck {
  answer: string;
  sentiment: 'positive' | 'negative';
  /** The thanks rule is the reviews' rule (source 004): a message or an e-mail is answered on its substance. */
  kind: 'review' | 'messenger' | 'email';
}

/** Lower case, ё read as е, every run of spaces and line breaks one space, typographic apostrophes plain. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();
}

/** Phrases of both languages found in the text, each once, in the order the methodology lists them. */
function found(text: string, lists: { en: string[]; ru: string[] }): string[] {
  const seen = new Set<string>();
  for (const phrase of [...lists.en, ...lists.ru]) {
    const key = normalise(phrase);
    if (text.includes(key) && ![...seen].some((s) => normalise(s).includes(key))) seen.add(phrase);
  }
  return [...seen];
}

/** Every warning the answer earns; an empty answer earns none (there is nothing to warn about yet). */
export function answerWarnings(entry: AnswerToCheck, phrases: ReviewDesk['phrases']): AnswerWarning[] {
  const text = normalise(entry.answer);
  if (!text) return [];
  const warnings: AnswerWarning[] = [
    ...found(text, phrases.stock).map((phrase) => ({ code: 'stockPhrase' as const, phrase })),
    ...found(text, phrases.otherChannel).map((phrase) => ({ code: 'otherChannel' as const, phrase })),
  ];
  if (entry.kind === 'review' && entry.sentiment === 'positive' && found(text, phrases.thanks).length === 0) warnings.push({ code: 'noThanks' });
  return warnings;
}
