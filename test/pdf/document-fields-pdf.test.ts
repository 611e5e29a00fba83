import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeEngagement, METHODOLOGY_DIR, type Cast } from '../helpers/factories.ts';
import { startTestApp, setPassword, WebClient, type TestApp } from '../helpers/web.ts';
import { sharedPdf } from '../helpers/pdf.ts';
import { loadMethodologies, parseMethodologyText } from '../../src/methodology/methodology.loader.ts';
import { MethodologyRegistry } from '../../src/methodology/methodology.registry.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { getDocumentPdf } from '../../src/pdf/pdf.service.ts';
import { buildDocumentPrint } from '../../src/pdf/print-models.ts';
import { pageTexts } from '../../src/pdf/outline.ts';
import type { DocumentType } from '../../src/methodology/methodology.schema.ts';

const e1t = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition;
const typeOf = (id: string): DocumentType => e1t.documentTypes.find((t) => t.id === id)!;
const flat = async (bytes: Uint8Array) => (await pageTexts(bytes)).join('\n').replace(/\s+/g, ' ');

async function printed(type: DocumentType, content: Record<string, unknown>, locale: 'en' | 'ru'): Promise<string> {
  const model = buildDocumentPrint(
    { client: 'Пекарня «Колосок»', type, version: { number: 1, hash: 'ab'.repeat(32), content, author: 'Вера Консультант', createdAt: new Date('2026-05-28T10:00:00Z') }, approval: null },
    locale,
  );
  return flat(await sharedPdf().pdf.document(model));
}

const finalContent = {
  evaluatedOn: '2026-05-28',
  ownerVerdict: 'partly',
  results: [
    { metric: 'Активные участники на 100 клиентов', unit: 'чел.', source: 'статистика VK', baseline: 2, target: 10, actual: 8 },
    { metric: 'Часы до ответа на отзыв', unit: 'ч', source: 'журнал отзывов', baseline: 30, target: 4, actual: 4 },
  ],
  deliverables: [{ deliverable: 'Аккаунт VK открыт и наполнен', done: true }],
  conclusions: 'Цель почти достигнута.',
  ownerAssessment: 'Клиенты стали писать в группу.',
};

describe('PDFs show the new document fields', function () {
  this.timeout(120_000);

  it('prints the final evaluation with unit, source, the computed per cent and its rule, in English', async () => {
    const text = await printed(typeOf('final-evaluation'), finalContent, 'en');
    for (const label of ['Unit', 'Source of the figure', 'Starting value', 'Achieved', 'Deliverables', 'The owner\'s assessment', 'The owner\'s verdict']) expect(text, label).to.contain(label);
    expect(text).to.contain('статистика VK');
    expect(text, 'the first row: 6 of the 8 to travel').to.match(/статистика VK 2 10 8 75%/);
    expect(text, 'a fall to the target is 100%').to.match(/журнал отзывов 30 4 4 100%/);
    expect(text).to.contain('(actual − baseline) ÷ (target − baseline) × 100');
    expect(text).to.contain('The goal is partly reached');
  });

  it('prints the final evaluation in Russian, with the figure and the rule in Russian', async () => {
    const text = await printed(typeOf('final-evaluation'), finalContent, 'ru');
    for (const label of ['Единица измерения', 'Источник данных', 'Выполнение', 'Результаты проекта', 'Оценка владельца']) expect(text, label).to.contain(label);
    expect(text).to.match(/статистика VK 2 10 8 75 %/);
    expect(text).to.contain('(факт − исходное) ÷ (цель − исходное) × 100');
    expect(text).to.contain('Цель достигнута частично');
  });

  it('prints the business’s own baseline row in the competitor analysis and the platform regulations, in both languages', async () => {
    const competitors = { competitors: [{ name: 'Колосок', isClient: true, network: 'vk', engagementPerPost: 14, lastPostOn: '2026-02-27', reviewReplyHours: 30 }, { name: 'Хлебный дом', isClient: false, network: 'vk', engagementPerPost: 41 }] };
    const en = await printed(typeOf('competitor-analysis'), competitors, 'en');
    expect(en).to.contain('Our business (baseline)').and.to.contain('Engagement per post').and.to.contain('Reviews answered within (hours)');
    expect(en).to.match(/Колосок VK Yes — — — 14 27 February 2026 30/);
    const ru = await printed(typeOf('competitor-analysis'), competitors, 'ru');
    expect(ru).to.match(/Колосок ВКонтакте Да — — — 14 27 февраля 2026( г\.)? 30/);
    const regulations = { platforms: [{ platform: 'Группа VK', network: 'vk', author: 'Анна', postsPerWeek: 3 }], moderation: ['Спам скрываем'], responseTimes: [{ network: 'vk', messageKind: 'review', withinHours: 4 }], escalation: [{ situation: 'Угроза репутации', escalateTo: 'Владелец', withinHours: 1 }] };
    expect(await printed(typeOf('platform-regulations'), regulations, 'en')).to.contain('Platform regulations').and.to.contain('Who posts').and.to.match(/VK Review 4/);
    expect(await printed(typeOf('platform-regulations'), regulations, 'ru')).to.contain('Регламент работы с площадками').and.to.contain('Эскалация').and.to.match(/ВКонтакте Отзыв 4/);
  });
});

describe('documents of an engagement started on the methodology before the new fields', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let app: TestApp;
  let engagementId: string;
  let cast: Cast;

  // The E1T file as it stood, frozen for an engagement the way starting one froze it then.
  const before = parseMethodologyText(readFileSync('test/fixtures/frozen/e1t-1-before-document-fields.yaml', 'utf8'), 'before.yaml');
  if ('problems' in before) throw new Error(before.problems.map((p) => p.message).join('\n'));
  const oldRegistry = new MethodologyRegistry(new Map([['e1t@1', { key: 'e1t@1', hash: before.hash, file: 'before.yaml', definition: before.definition }]]));

  beforeEach(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db);
    ({ engagementId, cast } = await makeEngagement({ ...app.deps, methodologies: oldRegistry }));
    for (const person of [cast.consultant, cast.owner]) await setPassword(db, person.id);
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  it('still opens, edits and prints the old final evaluation with its ticked "Achieved" column, next to a new engagement with the new fields', async () => {
    const old = { results: [{ metric: 'Подписчики VK', target: 500, actual: 520, achieved: true }], conclusions: 'Цель достигнута.' };
    const version = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'final-evaluation', old);
    await approveDocument(app.deps, cast.owner.id, engagementId, version.document.id, version.contentHash);
    const formats = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'documentation-formats', { storage: 'Troika', formats: 'Все документы ведутся **в Troika**.' });

    const owner = new WebClient(app.url);
    await owner.signIn(cast.owner.email);
    const page = await owner.get(`/engagements/${engagementId}/documents/${version.document.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Подписчики VK').and.to.match(/data-label="Achieved"[^>]*>[\s\S]{0,80}?Yes/);
    const pdfOverHttp = await owner.get(`/engagements/${engagementId}/documents/${version.document.id}/pdf`);
    expect([pdfOverHttp.status, pdfOverHttp.headers.get('content-type')]).to.deep.equal([200, 'application/pdf']);

    const en = await flat((await getDocumentPdf(app.deps, cast.owner.id, engagementId, version.document.id, 'en')).bytes);
    expect(en).to.contain('Final evaluation').and.to.match(/Подписчики VK 500 520 Yes/).and.to.contain('Approved by Owner');
    const ru = await flat((await getDocumentPdf(app.deps, cast.owner.id, engagementId, formats.document.id, 'ru')).bytes);
    expect(ru).to.contain('Вид и структура документов').and.to.contain('Все документы ведутся в Troika');

    const consultant = new WebClient(app.url);
    await consultant.signIn(cast.consultant.email);
    const oldEditor = await consultant.get(`/engagements/${engagementId}/documents/new?type=final-evaluation`);
    expect(oldEditor.text, 'the old engagement keeps its old fields').to.contain('name="f.results.0.achieved"').and.not.to.contain('class="computed"');
    const fresh = await makeEngagement(app.deps);
    await setPassword(db, fresh.cast.consultant.id);
    const other = new WebClient(app.url);
    await other.signIn(fresh.cast.consultant.email);
    const newEditor = await other.get(`/engagements/${fresh.engagementId}/documents/new?type=final-evaluation`);
    expect(newEditor.text, 'a new engagement gets the new fields').to.contain('class="computed"').and.not.to.contain('name="f.results.0.achieved"');
  });
});
