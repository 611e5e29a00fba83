// @mentions: a participant's handle is the part of their e-mail address before the "@", in lower case
// (anna.petrova@bakery.example is @anna.petrova). Pure: finding handles in text and marking them in HTML.

/** Letters, digits, dots, dashes and underscores, as e-mail local parts mostly are; a dot may not end it. */
const MENTION = /(^|[^\p{L}\p{N}_.@-])@([\p{L}\p{N}_][\p{L}\p{N}_.-]*[\p{L}\p{N}_]|[\p{L}\p{N}_])/gu;

export function handleOf(email: string): string {
  return email.slice(0, email.lastIndexOf('@') > 0 ? email.lastIndexOf('@') : email.length).toLowerCase();
}

/** Every handle the text mentions, each once, in lower case. */
export function mentionedHandles(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((m) => m[2]!.toLowerCase()))];
}

export interface MentionTarget {
  userId: string;
  email: string;
}

/** The people the text mentions among the candidates; a handle that names nobody among them names nobody. */
export function resolveMentions(text: string, candidates: MentionTarget[]): string[] {
  const handles = new Set(mentionedHandles(text));
  return [...new Set(candidates.filter((c) => handles.has(handleOf(c.email))).map((c) => c.userId))];
}

/**
 * Marks the known handles in rendered HTML, only in text between tags: a handle inside a link's
 * address (mailto:a@b) is an attribute and is left alone. The HTML is already escaped, and a handle
 * holds no character that needs escaping, so wrapping it adds nothing a person typed.
 */
export function markMentions(html: string, known: Set<string>): string {
  return html
    .split(/(<[^>]*>)/)
    .map((part) => (part.startsWith('<') ? part : part.replace(MENTION, (whole, before: string, handle: string) => (known.has(handle.toLowerCase()) ? `${before}<span class="mention">@${handle}</span>` : whole))))
    .join('');
}
