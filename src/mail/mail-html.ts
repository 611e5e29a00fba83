// The HTML part of a message, made from its plain text: the words are the same, so a mail program
// that shows HTML shows exactly what the text part says, with its links clickable. Everything is
// escaped first, so nothing typed by a person (a client's name) can become markup.
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Only http(s) addresses become links; one ends at whitespace or a closing quote or bracket. */
const LINK = /\bhttps?:\/\/[^\s"'<>«»()]+[^\s"'<>«»().,;:!?]/g;

function paragraph(text: string): string {
  const lines = text.split('\n').map((line) => {
    let out = '';
    let last = 0;
    for (const match of line.matchAll(LINK)) {
      out += escapeHtml(line.slice(last, match.index)) + `<a href="${escapeHtml(match[0])}">${escapeHtml(match[0])}</a>`;
      last = match.index + match[0].length;
    }
    return out + escapeHtml(line.slice(last));
  });
  return `<p>${lines.join('<br>\n')}</p>`;
}

export function htmlFromText(text: string, language: string): string {
  const body = text.trim().split(/\n{2,}/).map(paragraph).join('\n');
  const lang = /^[a-z]{2}$/.test(language) ? language : 'en';
  return `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"></head>\n<body style="font-family: sans-serif; line-height: 1.5">\n${body}\n</body></html>\n`;
}
