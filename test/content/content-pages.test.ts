import { expect } from 'chai';
import { useWebApp, type WebClient } from '../helpers/web.ts';
import { makeEngagement } from '../helpers/factories.ts';
import { ContentItem } from '../../src/content/content.entity.ts';
import { createItem } from '../../src/content/content-items.service.ts';
import { FACEBOOK, VK, registerAccounts } from './content-helpers.ts';

const ALL_DAYS = ['1', '2', '3', '4', '5', '6', '7'];

describe('the content plan over HTTP', () => {
  const s = useWebApp();
  const base = () => `/engagements/${s.engagementId}/content`;
  const items = () => s.db.orm.em.fork().find(ContentItem, { engagement: s.engagementId }, { orderBy: { plannedOn: 'asc' }, populate: ['author'] });

  beforeEach(() => registerAccounts(s.app.deps, s.cast, s.engagementId));

  /** Opens the page (for its form token) and posts one of its forms. */
  async function send(client: WebClient, page: string, action: string, fields: Record<string, string | string[]>) {
    await client.get(page);
    return client.post(action, { ...fields, __referer: page });
  }

  it('walks an item from a filled month to published: consultant fills, staff writes, the owner approves the week, staff publishes', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    const plan = await consultant.get(`/engagements/${s.engagementId}`);
    expect(plan.text).to.include(`href="${base()}"`);
    const filled = await send(consultant, base(), `${base()}/fill`, { month: '2026-03', channels: [VK, 'chat'], weekdays: ['2'] });
    expect(filled.status).to.equal(303);
    const calendar = await consultant.follow(filled);
    expect(calendar.text).to.include('Our product up close').and.include('items were added');
    const [item] = await items();

    const staff = await s.signedIn(s.cast.staff[0]!);
    const page = `${base()}/items/${item!.id}`;
    expect((await send(staff, page, `${page}/edit`, { title: 'Rye Tuesday', format: 'video', body: 'We bake **rye**. <script>alert(1)</script>', mediaLinks: 'https://example.com/rye.mp4' })).status).to.equal(303);
    expect((await send(staff, page, `${page}/submit`, {})).status).to.equal(303);
    const read = await staff.get(page);
    expect(read.text).to.include('<strong>rye</strong>').and.include('&lt;script&gt;').and.not.include('<script>alert');

    const owner = await s.signedIn(s.cast.owner);
    const list = await owner.get(`${base()}/items?status=submitted`);
    expect(list.text).to.include('Approve week 2026-W10');
    expect((await send(owner, `${base()}/items`, `${base()}/weeks/2026-W10/approve`, {})).status).to.equal(303);
    expect((await items()).find((i) => i.id === item!.id)!.status).to.equal('approved');

    expect((await send(staff, page, `${page}/schedule`, { scheduledAt: '2026-03-02T08:00' })).status).to.equal(303);
    const refused = await send(staff, page, `${page}/publish`, { publishedUrl: 'https://example.com/post', publishedAt: '2026-03-09T08:00' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('the address must be on').and.include('cannot be in the future').and.include('value="https://example.com/post"');
    expect((await items()).find((i) => i.id === item!.id)!.status).to.equal('scheduled');
    expect((await send(staff, page, `${page}/publish`, { publishedUrl: 'https://vk.com/wall-1_7', publishedAt: '2026-03-02T08:10' })).status).to.equal(303);
    expect((await items()).find((i) => i.id === item!.id)!.publishedUrl).to.equal('https://vk.com/wall-1_7');
    const log = await consultant.get(`/engagements/${s.engagementId}/events`);
    expect(log.text).to.include('filled a month of the content plan').and.include('approved a content item').and.include('marked a content item published');
  });

  it('speaks Russian to a Russian reader, refusals included', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get('/');
    await consultant.post('/language', { locale: 'ru' });
    const plan = await consultant.get(base());
    expect(plan.text).to.include('Темы дней недели').and.include('Планы на неделю').and.include('Заполнить месяц');
    const refused = await send(consultant, base(), `${base()}/fill`, { month: '2027-01', channels: ['chat'], weekdays: [] });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('Выберите хотя бы один день недели');
    const tooLate = await send(consultant, base(), `${base()}/fill`, { month: '2027-01', channels: ['chat'], weekdays: ALL_DAYS });
    expect(tooLate.text).to.include('В выбранном месяце нет дней плана проекта');
    await send(consultant, base(), `${base()}/fill`, { month: '2026-03', channels: ['chat'], weekdays: ALL_DAYS });
    const again = await send(consultant, base(), `${base()}/fill`, { month: '2026-03', channels: ['chat'], weekdays: ALL_DAYS });
    expect(again.text).to.include('уже заполнен');
    const calendar = await consultant.get(`${base()}/calendar?month=2026-03`);
    expect(calendar.text).to.include('Март').and.include('Полезный совет');
  });

  it('filters the list by channel, status, author and week with stable addresses, and refuses filters it cannot read', async () => {
    const staff = s.cast.staff[0]!;
    await createItem(s.app.deps, staff.id, s.engagementId, { channel: VK, format: 'post', title: 'VK in week 11', plannedOn: '2026-03-10' });
    await createItem(s.app.deps, s.cast.consultant.id, s.engagementId, { channel: FACEBOOK, format: 'post', title: 'Facebook idea', plannedOn: '2026-03-17' });
    const consultant = await s.signedIn(s.cast.consultant);
    const byChannel = await consultant.get(`${base()}/items?channel=${encodeURIComponent(VK)}`);
    expect(byChannel.text).to.include('VK in week 11').and.not.include('Facebook idea');
    const byAuthor = await consultant.get(`${base()}/items?author=${staff.id}&status=draft`);
    expect(byAuthor.text).to.include('VK in week 11').and.not.include('Facebook idea');
    const byWeek = await consultant.get(`${base()}/items?week=2026-W12`);
    expect(byWeek.text).to.include('Facebook idea').and.not.include('VK in week 11');
    for (const bad of ['week=12', 'status=lost', 'channel=myspace', 'author=me']) {
      expect((await consultant.get(`${base()}/items?${bad}`)).status, bad).to.equal(400);
    }
    expect((await consultant.get(`${base()}/calendar?month=2026-13`)).status).to.equal(400);
  });

  it('marks overdue items in the list and on the calendar day, and exports the plan as CSV', async () => {
    await createItem(s.app.deps, s.cast.staff[0]!.id, s.engagementId, { channel: 'chat', format: 'poll', title: '=HYPERLINK("x") poll', plannedOn: '2026-03-03' });
    s.app.deps.time.advanceDays(5);
    const consultant = await s.signedIn(s.cast.consultant);
    const list = await consultant.get(`${base()}/items`);
    expect(list.text).to.match(/class="content-row is-overdue"/);
    const calendar = await consultant.get(`${base()}/calendar?month=2026-03`);
    expect(calendar.text).to.match(/id="day-2026-03-03"/).and.match(/cal-day has-overdue" id="day-2026-03-03"/);
    const csv = await consultant.get(`${base()}/plan.csv`);
    expect(csv.headers.get('content-type')).to.match(/text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).to.equal('Day,Weekday theme,Channel,Format,Title,Status,Author,Public address');
    expect(lines[1]).to.include('2026-03-03').and.include(`"'=HYPERLINK(""x"") poll"`).and.include('draft');
  });

  it("answers 404 for another engagement's item and to outsiders, and 403 when staff approve or touch another's item", async () => {
    const other = await makeEngagement(s.app.deps);
    const foreign = await createItem(s.app.deps, other.cast.staff[0]!.id, other.engagementId, { channel: 'chat', format: 'post', title: 'Theirs', plannedOn: '2026-03-10', body: 'x' });
    const mine = await createItem(s.app.deps, s.cast.staff[0]!.id, s.engagementId, { channel: 'chat', format: 'post', title: 'Mine', plannedOn: '2026-03-10', body: 'x' });
    const consultant = await s.signedIn(s.cast.consultant);
    expect((await consultant.get(`${base()}/items/${foreign.id}`)).status).to.equal(404);
    expect((await send(consultant, base(), `${base()}/items/${foreign.id}/move`, { plannedOn: '2026-03-11' })).status).to.equal(404);
    const otherStaff = await s.signedIn(s.cast.staff[1]!);
    expect((await send(otherStaff, `${base()}/items/${mine.id}`, `${base()}/items/${mine.id}/move`, { plannedOn: '2026-03-11' })).status).to.equal(403);
    expect((await send(otherStaff, `${base()}/items`, `${base()}/weeks/2026-W11/approve`, {})).status).to.equal(403);
    const outsider = new (await import('../helpers/web.ts')).WebClient(s.app.url);
    await (await import('../helpers/web.ts')).setPassword(s.db, other.cast.consultant.id);
    await outsider.signIn(other.cast.consultant.email);
    expect((await outsider.get(base())).status).to.equal(404);
    expect((await outsider.get(`${base()}/calendar`)).status).to.equal(404);
  });
});
