import { expect } from 'chai';
import { useWebApp, type WebClient } from '../helpers/web.ts';
import { ProjectDocument, DocumentVersion } from '../../src/documents/document.entity.ts';

describe('document editor forms that cannot misfire', function () {
  this.timeout(60_000);
  const s = useWebApp();
  let consultant: WebClient;
  beforeEach(async () => {
    consultant = await s.signedIn(s.cast.consultant);
  });

  const editor = () => consultant.get(`/engagements/${s.engagementId}/documents/new?type=target-criteria`);
  const post = (fields: Record<string, string>) => consultant.post(`/engagements/${s.engagementId}/documents`, { typeId: 'target-criteria', ...fields });
  const kpiRow = (i: number, row: Record<string, string>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [`f.kpis.${i}.${k}`, v]));
  const savedDocument = () => s.db.orm.em.fork().findOne(ProjectDocument, { engagement: s.engagementId, typeId: 'target-criteria' });

  it('makes the draft the button Enter presses, and saves a form posted without a button as a draft', async () => {
    const page = await editor();
    const form = /<form method="post" action="\/engagements\/[^"]+\/documents"[\s\S]*?<\/form>/.exec(page.text)?.[0] ?? '';
    const buttons = [...form.matchAll(/<button[^>]*value="(\w+)"/g)].map((m) => m[1]);
    expect(buttons[0]).to.equal('save');
    expect(buttons).to.include('submit');

    const res = await post(kpiRow(0, { metric: 'VK followers', target: '500', date: '2027-02-01' }));
    expect(res.status).to.equal(303);
    expect((await savedDocument())?.status).to.equal('draft');
  });

  it('shows the limits of each field before anything is sent, in both languages', async () => {
    const page = await editor();
    expect(page.text).to.match(/name="f\.kpis\.0\.metric"[^>]*maxlength="500"/);
    expect(page.text).to.match(/name="f\.kpis\.0\.target"[^>]*aria-describedby="limits-kpis-target"/);
    expect(page.text).to.match(/id="limits-kpis-target">required, a number</);
    expect(page.text).to.match(/name="f\.notes"[^>]*maxlength="20000"/);
    expect(page.text).to.contain('up to 20000 characters');
    await consultant.post('/language', { locale: 'ru' });
    const ru = await editor();
    expect(ru.text).to.contain('не больше 20000 символов');
    expect(ru.text).to.match(/id="limits-kpis-target">обязательно, число</);
  });

  it('marks a field in error with aria-invalid and points it at its message', async () => {
    await editor();
    const res = await post({ intent: 'save', ...kpiRow(0, { metric: 'VK followers', target: 'lots', date: '2027-02-01' }) });
    expect(res.status).to.equal(422);
    const input = /<input name="f\.kpis\.0\.target"[^>]*>/.exec(res.text)?.[0] ?? '';
    expect(input).to.contain('aria-invalid="true"');
    const messageId = /aria-describedby="[^"]*\b(error-kpis-\d+)\b/.exec(input)?.[1];
    expect(messageId).to.be.a('string');
    expect(res.text).to.match(new RegExp(`<p class="field-error" id="${messageId}">[^<]*must be a number`));
    expect(/<input name="f\.kpis\.0\.metric"[^>]*>/.exec(res.text)?.[0]).not.to.contain('aria-invalid');
  });

  it('removes a single table row that was ticked, on save and on more rows', async () => {
    await editor();
    const rows = {
      ...kpiRow(0, { metric: 'Keep me', target: '1', date: '2027-01-01' }),
      ...kpiRow(1, { metric: 'Drop me', target: '2', date: '2027-01-01', _remove: 'true' }),
      ...kpiRow(2, { metric: 'Keep me too', target: '3', date: '2027-01-01' }),
    };
    const more = await post({ intent: 'rows', ...rows });
    expect(more.status).to.equal(200);
    expect(more.text).not.to.contain('Drop me');
    expect(more.text).to.match(/name="f\.kpis\.1\.metric" value="Keep me too"/);
    expect(more.text).to.contain('name="f.kpis.0._remove"');

    await post({ intent: 'save', ...rows });
    const document = await savedDocument();
    const version = await s.db.orm.em.fork().findOneOrFail(DocumentVersion, { document: document!, number: 1 });
    expect((version.content.kpis as { metric: string }[]).map((r) => r.metric)).to.deep.equal(['Keep me', 'Keep me too']);
  });
});
