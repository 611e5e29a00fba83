// Markdown to HTML for user text: raw HTML is shown as text, images are off, links only to the web or mail.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.disable(['image']);
md.validateLink = (url: string) => /^(https?:|mailto:)/i.test(url.trim());

export function renderMarkdown(text: string): string {
  return md.render(text);
}
