import { expect } from 'chai';
import { useWebApp, setPassword, type WebClient } from '../helpers/web.ts';
import { completeCurrentStage, makeEngagement } from '../helpers/factories.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { ProjectDocument, DocumentVersion } from '../../src/documents/document.entity.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

/** The lines of the gate box: what still holds the stage. */
function gateLinesOf(html: string): string[] {
  const box = /<section class="card gate" id="gate">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  const list = /<ul>([\s\S]*?)<\/ul>/.exec(box)?.[1] ?? '';
  return [...list.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!);
}

/** The register form fields for some account rows, as the editor posts them. */
function registerForm(rows: Record<string, string>[]): Record<string, string> {
  const form: Record<string, string> = { typeId: 'accounts-register' };
  rows.forEach((row, i) => {
    for (const [column, value] of Object.entries(row)) form[`f.accounts.${i}.${column}`] = value;
  });
  return form;
}

const liveAccount = (network: string, over: Record<string, string> = {}) => ({
  network,
  address: `https://example.com/${network}`,
  opened: '2026-04-03',
  firstContent: 'true',
  linksTested: 'true',
  responsible: 'Anna',
  ...over,
});

describe('mandatory networks over HTTP', function () {
  this.timeout(120_000);
  const suite = useWebApp();
  const page = (engagementId = suite.engagementId) => `/engagements/${engagementId}`;

  /** The consultant sends the register from the editor, and the owner approves it from the document page. */
  async function sendAndApprove(consultant: WebClient, owner: WebClient, rows: Record<string, string>[], engagementId = suite.engagementId): Promise<void> {
    await consultant.get(`${page(engagementId)}/documents/new?type=accounts-register`);
    const sent = await consultant.post(`${page(engagementId)}/documents`, { ...registerForm(rows), intent: 'submit' });
    expect(sent.status, sent.text.slice(0, 2000)).to.equal(303);
    const em = suite.db.orm.em.fork();
    const document = await em.findOneOrFail(ProjectDocument, { engagement: engagementId, typeId: 'accounts-register' });
    const version = await em.findOneOrFail(DocumentVersion, { document, number: document.latestVersion });
    await owner.get(`${page(engagementId)}/documents/${document.id}`);
    const approved = await owner.post(`${page(engagementId)}/documents/${document.id}/approve`, { hash: version.contentHash });
    expect(approved.status).to.equal(303);
  }

  async function intoFormatting(engagementId = suite.engagementId, cast = suite.cast): Promise<void> {
    const deps = suite.app.deps;
    await completeCurrentStage(deps, engagementId, cast);
    await advanceStage(deps, cast.consultant.id, engagementId);
    await completeCurrentStage(deps, engagementId, cast, { signOff: false });
  }

  it('opens the register editor with Facebook and VK rows that cannot be removed, and refuses a post that drops one, in both languages', async () => {
    await completeCurrentStage(suite.app.deps, suite.engagementId, suite.cast);
    await advanceStage(suite.app.deps, suite.cast.consultant.id, suite.engagementId);
    const consultant = await suite.signedIn(suite.cast.consultant);
    const editor = (await consultant.get(`${page()}/documents/new?type=accounts-register`)).text;
    expect(editor).to.match(/name="f\.accounts\.0\.network"[^>]*>[\s\S]*?<option value="facebook" selected>Facebook<\/option>/);
    expect(editor).to.match(/name="f\.accounts\.1\.network"[^>]*>[\s\S]*?<option value="vk" selected>VK<\/option>/);
    expect(editor.match(/class="mandatory-row">mandatory network</g), 'two rows marked mandatory').to.have.length(2);
    expect(editor, 'no remove box on a mandatory row').not.to.contain('name="f.accounts.0._remove"');
    expect(editor, 'an ordinary row can be removed').to.contain('name="f.accounts.2._remove"');

    const dropped = await consultant.post(`${page()}/documents`, { ...registerForm([liveAccount('vk')]), intent: 'save' });
    expect(dropped.status).to.equal(422);
    expect(dropped.text).to.contain(escapeHtml('the network "Facebook" is mandatory in this methodology: its row cannot be removed'));
    expect(dropped.text, 'the dropped row is back on the form').to.match(/<option value="facebook" selected>/);

    await consultant.post('/language', { locale: 'ru', back: page() });
    const russianEditor = (await consultant.get(`${page()}/documents/new?type=accounts-register`)).text;
    expect(russianEditor).to.contain('<option value="vk" selected>ВКонтакте</option>');
    expect(russianEditor).to.contain('class="mandatory-row">обязательная соцсеть<');
    const droppedRu = await consultant.post(`${page()}/documents`, { ...registerForm([liveAccount('facebook')]), intent: 'save' });
    expect(droppedRu.status).to.equal(422);
    expect(droppedRu.text).to.contain(escapeHtml('Соцсеть "VK" обязательна по методике: её строку удалить нельзя'));
  });

  it('names the mandatory network and what it lacks in the gate box, in English and Russian, until the register is filled', async () => {
    await intoFormatting();
    const consultant = await suite.signedIn(suite.cast.consultant);
    const owner = await suite.signedIn(suite.cast.owner);
    await sendAndApprove(consultant, owner, [liveAccount('facebook', { linksTested: '' }), liveAccount('vk')]);

    const english = gateLinesOf((await consultant.get(page())).text);
    expect(english).to.include(escapeHtml('Mandatory network Facebook is not ready in the approved “Social accounts register”; not filled in or not ticked: Links tested'));
    expect(english.join('\n'), 'VK is complete').not.to.contain('VK');
    expect((await consultant.get(page())).text).to.match(/<li class="gate-step-network"><a href="\/engagements\/[0-9a-f-]+\/documents\/[0-9a-f-]+">Facebook<\/a>/);

    await owner.post('/language', { locale: 'ru', back: page() });
    const russian = gateLinesOf((await owner.get(page())).text);
    expect(russian).to.include(escapeHtml('Обязательная соцсеть Facebook не готова по утверждённому документу «Реестр аккаунтов в соцсетях»; не заполнено или не отмечено: Связи проверены'));
    await owner.get(page());
    const refused = await owner.post(`${page()}/stages/formatting/signoff`);
    expect(refused.status, 'the sign-off is refused while Facebook is not ready').to.not.equal(303);

    await sendAndApprove(consultant, owner, [liveAccount('facebook'), liveAccount('vk')]);
    const lines = gateLinesOf((await owner.get(page())).text);
    expect(lines.join('\n')).not.to.contain('Обязательная соцсеть');
    await owner.get(page());
    expect((await owner.post(`${page()}/stages/formatting/signoff`)).status).to.equal(303);
    const consultantPage = (await consultant.get(page())).text;
    expect(gateLinesOf(consultantPage)).to.deep.equal([]);
  });

  it('offers the methodology without Facebook on the new-engagement form and creates the engagement from it', async () => {
    const consultant = await suite.signedIn(suite.cast.consultant);
    const form = (await consultant.get('/engagements/new')).text;
    expect(form).to.contain('<option value="e1t-vk-telegram@1" >E1T without Facebook: VK and Telegram (e1t-vk-telegram@1)</option>');
    const created = await consultant.post('/engagements', { clientName: 'Пекарня без Facebook', plannedStart: '2026-03-02', methodology: 'e1t-vk-telegram@1' });
    expect(created.status).to.equal(303);
    const id = /\/engagements\/([0-9a-f-]{36})$/.exec(created.location ?? '')![1]!;
    const engagement = await suite.db.orm.em.fork().findOneOrFail(Engagement, id, { populate: ['methodology'] });
    expect(engagement.methodology.key).to.equal('e1t-vk-telegram@1');

    await consultant.post('/language', { locale: 'ru', back: '/' });
    expect((await consultant.get('/engagements/new')).text).to.contain('E1T без Facebook: ВКонтакте и Telegram (e1t-vk-telegram@1)');
  });

  it('asks for Telegram and never for Facebook in the gate box of the methodology without Facebook', async () => {
    const { engagementId, cast } = await makeEngagement(suite.app.deps, { methodology: 'e1t-vk-telegram@1' });
    for (const person of [cast.consultant, cast.owner, ...cast.staff]) await setPassword(suite.db, person.id);
    await intoFormatting(engagementId, cast);
    const consultant = await suite.signedIn(cast.consultant);
    const owner = await suite.signedIn(cast.owner);
    const editor = (await consultant.get(`${page(engagementId)}/documents/new?type=accounts-register`)).text;
    expect(editor.match(/class="mandatory-row">/g)).to.have.length(2);
    await sendAndApprove(consultant, owner, [liveAccount('vk'), liveAccount('telegram', { address: '', firstContent: '' })], engagementId);

    const english = gateLinesOf((await consultant.get(page(engagementId))).text);
    expect(english).to.include(escapeHtml('Mandatory network Telegram is not ready in the approved “Social accounts register”; not filled in or not ticked: Address; Initial information posted'));
    expect(english.join('\n')).not.to.contain('Facebook');
    await consultant.post('/language', { locale: 'ru', back: page(engagementId) });
    const russian = gateLinesOf((await consultant.get(page(engagementId))).text);
    expect(russian).to.include(escapeHtml('Обязательная соцсеть Telegram не готова по утверждённому документу «Реестр аккаунтов в соцсетях»; не заполнено или не отмечено: Адрес; Стартовая информация размещена'));

    await sendAndApprove(consultant, owner, [liveAccount('vk'), liveAccount('telegram')], engagementId);
    expect(gateLinesOf((await consultant.get(page(engagementId))).text).join('\n')).not.to.contain('Telegram');
  });
});
