import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { methodologySchema } from '../../src/methodology/methodology.schema.ts';
import { useStartedEngagement, makeEngagement, METHODOLOGY_DIR } from '../helpers/factories.ts';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { fillMonth } from '../../src/content/content-plan.service.ts';
import { createItem, submitItem, approveItem, scheduleItem, publishItem } from '../../src/content/content-items.service.ts';

/** E1T's methodology text, with its training modules as the loader reads them from the folder beside it. */
const e1tModules = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.trainingModules;
const raw = () => ({ ...parse(readFileSync('methodology/e1t-1/methodology.yaml', 'utf8')), trainingModules: e1tModules }) as Record<string, any>;
const problemsOf = (m: unknown) => {
  const parsed = methodologySchema.safeParse(m);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the content plan in the methodology data', () => {
  it('accepts the E1T defaults: six formats and a theme for each weekday in both languages', () => {
    const parsed = methodologySchema.parse(raw());
    expect(parsed.contentPlan!.formats.map((f) => f.id)).to.deep.equal(['post', 'video', 'story', 'poll', 'contest', 'review-answer']);
    expect(parsed.contentPlan!.weekdayThemes.map((t) => t.weekday)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
  });

  it('names the path of each mistake: a missing day, a day twice, an unknown network, a missing table column', () => {
    const m = raw();
    m.contentPlan.weekdayThemes[6].weekday = 1;
    m.contentPlan.networkDomains.myspace = ['myspace.com'];
    m.contentPlan.accountsRegister.address = 'url';
    m.contentPlan.formats[1].id = 'post';
    expect(problemsOf(m)).to.have.members([
      'contentPlan.weekdayThemes.6.weekday: weekday 1 is given twice',
      'contentPlan.networkDomains.myspace: network "myspace" is not declared in networks',
      'contentPlan.accountsRegister.address: table "accounts" has no column "url"',
      'contentPlan.formats.1.id: format id "post" is used twice',
    ]);
    const short = raw();
    short.contentPlan.weekdayThemes.pop();
    short.contentPlan.chat.domains = ['https://t.me'];
    expect(problemsOf(short).map((p) => p.split(':')[0])).to.have.members(['contentPlan.weekdayThemes', 'contentPlan.chat.domains.0']);
  });

  it('still loads a methodology without a content plan (and so without the gate rules that count content)', () => {
    const m = raw();
    delete m.contentPlan;
    for (const stage of m.stages as { gate?: { rule: string }[] }[]) {
      if (stage.gate) stage.gate = stage.gate.filter((r) => !['published-per-network', 'no-content-awaiting-approval'].includes(r.rule));
    }
    expect(problemsOf(m)).to.deep.equal([]);
  });
});

describe('an engagement on a methodology frozen without a content plan', () => {
  const s = useStartedEngagement();

  it('fills a month with untitled days to word, offers a plain post, and takes any web address from the chat', async () => {
    const { engagementId, cast } = await makeEngagement(s.deps, { methodology: 'e1t-telegram@1' });
    const made = await fillMonth(s.deps, cast.consultant.id, engagementId, { month: '2026-03', channels: ['chat'], weekdays: [2] });
    expect(made[0]!.title).to.equal(made[0]!.plannedOn);
    expect(made[0]!.format).to.equal('post');
    const staff = cast.staff[0]!;
    const item = await createItem(s.deps, staff.id, engagementId, { channel: 'chat', format: 'post', title: 'Hello', plannedOn: '2026-03-03', body: 'Hi' });
    await submitItem(s.deps, staff.id, engagementId, item.id);
    await approveItem(s.deps, cast.owner.id, engagementId, item.id);
    await scheduleItem(s.deps, staff.id, engagementId, item.id, { scheduledAt: '2026-03-02T08:00' });
    const published = await publishItem(s.deps, staff.id, engagementId, item.id, { publishedUrl: 'https://chat.example.org/kolosok/1', publishedAt: '2026-03-02T08:00' });
    expect(published.status).to.equal('published');
  });
});
