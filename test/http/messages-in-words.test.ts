import { expect } from 'chai';
import { useWebApp, type WebClient, type Response } from '../helpers/web.ts';
import { completeCurrentStage } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { ru } from '../../src/web/i18n/ru.ts';
import type { ColumnDefinition, DocumentType } from '../../src/methodology/methodology.schema.ts';

/** What no page may show: zod's own texts, or a raw catalog key such as document.saveDraft. */
// \b keeps the key pattern linear: without it a 20,000-letter refused value takes seconds to scan, long
// enough for the server to close the idle keep-alive connection (ECONNRESET on the next request).
const MACHINE_TEXT = /Invalid input|expected .* received|Invalid option|\b[a-z]+\.[a-z]+[A-Z]\w*/;
/** A list of stored values instead of words, such as "must be one of: monday, tuesday". */
const VALUE_LIST = /one of: \w+, \w+|available: /;

/** The English service messages the catalog knows, as patterns ({0} is any value). */
const ENGLISH_MESSAGES = Object.keys(ru.serviceMessages).map(
  (message) => new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\d+\\\}/g, '\\S+')),
);

function visibleText(page: Response): string {
  return page.text.replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
}

/** A value each kind of field refuses. */
function wrongValue(type: ColumnDefinition['type'] | DocumentType['fields'][number]['type']): string | null {
  switch (type) {
    case 'number': return 'lots';
    case 'integer': return '1.5';
    case 'date': return 'soon';
    case 'url': return 'nowhere';
    case 'select':
    case 'trainingModule': return 'monday';
    case 'boolean': return null;
    case 'textarea':
    case 'markdown': return 'x'.repeat(20_001);
    default: return 'x'.repeat(501);
  }
}

function wrongForm(type: DocumentType): Record<string, string> {
  const form: Record<string, string> = { typeId: type.id, intent: 'save' };
  for (const field of type.fields) {
    if (field.type === 'table') {
      for (const column of field.columns ?? []) {
        const value = wrongValue(column.type);
        if (value !== null) form[`f.${field.id}.0.${column.id}`] = value;
      }
    } else {
      const value = wrongValue(field.type);
      if (value !== null) form[`f.${field.id}`] = value;
    }
  }
  return form;
}

describe('every message in the words and language of the person reading it', function () {
  this.timeout(180_000);
  const s = useWebApp();

  async function inLanguage(person: { email: string }, locale: 'en' | 'ru'): Promise<WebClient> {
    const client = await s.signedIn(person);
    await client.get('/');
    await client.post('/language', { locale, back: '/' });
    return client;
  }

  /** Sends a form as a person would (reading its page first for the CSRF token) and returns the page they end on. */
  async function send(client: WebClient, pagePath: string, action: string, fields: Record<string, string>): Promise<Response> {
    await client.get(pagePath);
    const res = await client.post(action, { ...fields, __referer: pagePath });
    return res.status === 303 || res.status === 302 ? client.get(res.location!) : res;
  }

  function expectWords(page: Response, locale: 'en' | 'ru', what: string) {
    expect(page.status, what).to.be.oneOf([200, 409, 422]);
    const text = visibleText(page);
    expect(text, what).not.to.match(MACHINE_TEXT);
    expect(text, what).not.to.match(VALUE_LIST);
    if (locale === 'ru') {
      for (const english of ENGLISH_MESSAGES) expect(text, `${what}: ${english}`).not.to.match(english);
      expect(text, what).not.to.match(/\b(must|choose one|enter the|is required|at most|at least)\b/);
    }
  }

  for (const locale of ['en', 'ru'] as const) {
    it(`refuses bad input to every form with a message in words (${locale})`, async () => {
      await completeCurrentStage(s.app.deps, s.engagementId, s.cast); // approves the training programme: modules to take
      const concept = await submitDocumentVersion(s.app.deps, s.cast.consultant.id, s.engagementId, 'content-concept', await contentOf('content-concept', 'v1'));
      const consultant = await inLanguage(s.cast.consultant, locale);
      const owner = await inLanguage(s.cast.owner, locale);
      const em = s.db.orm.em.fork();
      const engagement = await em.findOneOrFail(Engagement, s.engagementId, { populate: ['methodology.definition'] });
      const page = `/engagements/${s.engagementId}`;

      expectWords(await send(consultant, '/engagements/new', '/engagements', { clientName: '', plannedStart: '31.12.2026', site: 'nowhere', feeAmount: 'lots', methodology: 'monday' }), locale, 'new engagement');
      expectWords(await send(consultant, page, `${page}/participants`, { email: 'nobody', name: '', role: 'boss', direction: 'tuesday' }), locale, 'invite');
      const task = await em.findOneOrFail(Task, { engagement: s.engagementId, key: 'prep.kmm-study' });
      expectWords(await send(consultant, page, `${page}/tasks/${task.id}/assign`, { assigneeId: 'nobody', deadline: 'soon' }), locale, 'assign task: malformed');
      expectWords(await send(consultant, page, `${page}/tasks/${task.id}/assign`, { assigneeId: s.cast.owner.id, deadline: '2030-01-01' }), locale, 'assign task: wrong person and day');

      for (const type of engagement.methodology.definition.documentTypes) {
        const res = await send(consultant, `${page}/documents/new?type=${type.id}`, `${page}/documents`, wrongForm(type));
        expect(res.status, type.id).to.equal(422);
        expectWords(res, locale, `document ${type.id}`);
      }

      const documentPage = `${page}/documents/${concept.document.id}`;
      expectWords(await send(owner, documentPage, `${documentPage}/request-changes`, { hash: concept.contentHash, comment: ' ' }), locale, 'request changes');

      const [assignment] = await em.find(TrainingAssignment, { engagement: s.engagementId }, { populate: ['user'] });
      const learner = await inLanguage(assignment!.user, locale);
      const modulePage = `${page}/training/${assignment!.id}`;
      expectWords(await send(learner, modulePage, `${modulePage}/quiz`, {}), locale, 'quiz');
      expectWords(await send(learner, modulePage, `${modulePage}/submission`, { submission: 'short' }), locale, 'practical');
    });
  }

  it('names states in the event log and shows the fee with ₽ in Russian', async () => {
    const consultant = await inLanguage(s.cast.consultant, 'ru');
    const page = visibleText(await consultant.get(`/engagements/${s.engagementId}`));
    expect(page).to.match(/Черновик → Подготовка/);
    expect(page).not.to.match(/draft → preparation/);
    const fee = (await s.db.orm.em.fork().findOneOrFail(Engagement, s.engagementId)).feeAmount;
    expect(page).to.contain(`${new Intl.NumberFormat('ru-RU').format(fee)} ₽`.replace(/\s+/g, ' '));
  });
});
