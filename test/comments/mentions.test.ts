// The pure rules of comments: handles, where a mention ends, marking only text, titles and deadlines from a comment.
import { expect } from 'chai';
import { handleOf, markMentions, mentionedHandles, resolveMentions } from '../../src/comments/mentions.ts';
import { deadlineFrom, isEditable, titleFrom } from '../../src/comments/comment-rules.ts';
import { renderMarkdown } from '../../src/documents/markdown.ts';

describe('comment rules', () => {
  it('takes the handle from the e-mail address before the @, in lower case', () => {
    expect(handleOf('Anna.Petrova@Bakery.example')).to.equal('anna.petrova');
  });

  it('finds mentions at the start, after punctuation and before a full stop, but not inside an e-mail address', () => {
    expect(mentionedHandles('@anna, ask (@boris.k). Write to olga@bakery.example.')).to.deep.equal(['anna', 'boris.k']);
  });

  it('resolves only handles of the candidates given', () => {
    const people = [{ userId: 'u1', email: 'anna@x.example' }, { userId: 'u2', email: 'boris@x.example' }];
    expect(resolveMentions('@anna and @stranger', people)).to.deep.equal(['u1']);
  });

  it('marks known handles in text, never inside a link address', () => {
    const html = markMentions(renderMarkdown('@anna see [mail](mailto:x@anna) and @nobody'), new Set(['anna']));
    expect(html).to.contain('<span class="mention">@anna</span> see');
    expect(html).to.contain('href="mailto:x@anna"');
    expect(html).to.contain('and @nobody');
  });

  it('allows editing for less than ten minutes, and only to the author', () => {
    const createdAt = new Date('2026-03-02T09:00:00Z');
    expect(isEditable({ createdAt, authorId: 'a' }, 'a', new Date('2026-03-02T09:09:59Z'))).to.equal(true);
    expect(isEditable({ createdAt, authorId: 'a' }, 'a', new Date('2026-03-02T09:10:00Z'))).to.equal(false);
    expect(isEditable({ createdAt, authorId: 'a' }, 'b', createdAt)).to.equal(false);
  });

  it('prefills a title from the first line and a deadline from a named day, kept inside the plan', () => {
    expect(titleFrom('\n## **Buy** [flour](https://x.example)\nmore')).to.equal('Buy flour');
    const plan = { first: '2026-03-02', last: '2026-05-31' };
    expect(deadlineFrom('by 20.03.2026', '2026-03-02', plan)).to.equal('2026-03-20');
    expect(deadlineFrom('no date', '2026-03-02', plan)).to.equal('2026-03-09');
    expect(deadlineFrom('by 2027-01-10', '2026-03-02', plan)).to.equal('2026-05-31');
  });
});
