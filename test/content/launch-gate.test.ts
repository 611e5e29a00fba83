// The Launch gate's content rules: published items on every mandatory network, none waiting for approval.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { refusalOf } from '../helpers/assertions.ts';
import { completeCurrentStage, makeEngagement, useStartedEngagement, METHODOLOGY_DIR, type Cast } from '../helpers/factories.ts';
import { useWebApp } from '../helpers/web.ts';
import { advanceStage, signStageOff } from '../../src/engagement/engagement.service.ts';
import { approveItem, createItem, publishItem, scheduleItem, submitItem } from '../../src/content/content-items.service.ts';
import { readChannels } from '../../src/content/channels.queries.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { loadMethodologies, parseMethodologyText } from '../../src/methodology/methodology.loader.ts';
import { BlockedError } from '../../src/errors.ts';
import type { ServiceDeps } from '../../src/engagement/command.ts';
import { contentBlockers } from '../../src/engagement/content-gate.ts';

/** Preparation and Formatting done, and everything of Launch but its content: the content rules alone hold it. */
async function intoLaunchWithoutContent(deps: ServiceDeps, engagementId: string, cast: Cast): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await completeCurrentStage(deps, engagementId, cast);
    await advanceStage(deps, cast.consultant.id, engagementId);
  }
  await completeCurrentStage(deps, engagementId, cast, { signOff: false, publish: false });
}

/** The account of a network in the approved register, as a channel key and its public origin. */
async function channelOf(deps: ServiceDeps, engagementId: string, network: string): Promise<{ key: string; origin: string }> {
  const em = deps.orm.em.fork();
  const engagement = await em.findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] });
  const channel = (await readChannels(em, engagement, engagement.methodology.definition)).find((c) => c.network === network)!;
  return { key: channel.key, origin: new URL(channel.address!).origin };
}

/** A staff member's item on a channel, sent to the owner. */
async function submitted(deps: ServiceDeps, engagementId: string, cast: Cast, channel: string, title: string) {
  const staff = cast.staff[0]!;
  const day = deps.clock().toISOString().slice(0, 10);
  const item = await createItem(deps, staff.id, engagementId, { channel, format: 'post', title, plannedOn: day, body: `${title}: fresh bread.` });
  return submitItem(deps, staff.id, engagementId, item.id);
}

async function published(deps: ServiceDeps, engagementId: string, cast: Cast, network: string, count: number): Promise<void> {
  const { key, origin } = await channelOf(deps, engagementId, network);
  for (let i = 0; i < count; i++) {
    const item = await submitted(deps, engagementId, cast, key, `${network} post ${i}`);
    await approveItem(deps, cast.owner.id, engagementId, item.id);
    const staff = cast.staff[0]!;
    await scheduleItem(deps, staff.id, engagementId, item.id, { scheduledAt: `${item.plannedOn}T00:00` });
    await publishItem(deps, staff.id, engagementId, item.id, { publishedUrl: `${origin}/wall/${network}-${i}`, publishedAt: deps.clock().toISOString() });
  }
}

const signOffRefusal = async (deps: ServiceDeps, engagementId: string, cast: Cast) => (await refusalOf(signStageOff(deps, cast.owner.id, engagementId, 'launch'))) as BlockedError;

describe('the Launch gate follows the content', function () {
  this.timeout(180_000);
  const s = useStartedEngagement();

  it('holds Launch until every mandatory network has four published items and none waits for approval, then lets it close', async () => {
    await intoLaunchWithoutContent(s.deps, s.engagementId, s.cast);
    const first = await signOffRefusal(s.deps, s.engagementId, s.cast);
    expect(first, 'the sign-off is refused with nothing published').to.be.instanceOf(BlockedError);
    expect(first.blockers.map((b) => b.kind === 'published' && [b.id, b.published, b.required])).to.deep.equal([['facebook', 0, 4], ['vk', 0, 4]]);
    expect(first.reasons).to.include('mandatory network VK has 0 of the 4 published content items it needs');

    await published(s.deps, s.engagementId, s.cast, 'facebook', 4);
    await published(s.deps, s.engagementId, s.cast, 'vk', 3);
    const vk = await channelOf(s.deps, s.engagementId, 'vk');
    const waiting = await submitted(s.deps, s.engagementId, s.cast, vk.key, 'Rye on Friday');
    const second = await signOffRefusal(s.deps, s.engagementId, s.cast);
    expect(second.blockers.map((b) => b.kind)).to.deep.equal(['published', 'contentApproval']);
    expect(second.reasons).to.deep.equal([
      'mandatory network VK has 3 of the 4 published content items it needs',
      "1 content item waits for the owner's approval: Rye on Friday",
    ]);

    // The owner decides the waiting item; it goes out, and the fourth VK item with it.
    await approveItem(s.deps, s.cast.owner.id, s.engagementId, waiting.id);
    const third = await signOffRefusal(s.deps, s.engagementId, s.cast);
    expect(third.blockers.map((b) => b.kind), 'an approved item no longer waits; VK still lacks one').to.deep.equal(['published']);
    await scheduleItem(s.deps, s.cast.staff[0]!.id, s.engagementId, waiting.id, { scheduledAt: `${waiting.plannedOn}T00:00` });
    await publishItem(s.deps, s.cast.staff[0]!.id, s.engagementId, waiting.id, { publishedUrl: `${vk.origin}/wall/rye`, publishedAt: s.deps.clock().toISOString() });
    await signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'launch');
    expect((await advanceStage(s.deps, s.cast.consultant.id, s.engagementId)).to).to.equal('completed');
  });

  it('counts only published items of the engagement itself, not another engagement’s', async () => {
    const other = await makeEngagement(s.deps);
    await intoLaunchWithoutContent(s.deps, other.engagementId, other.cast);
    await published(s.deps, other.engagementId, other.cast, 'vk', 4);
    await published(s.deps, other.engagementId, other.cast, 'facebook', 4);
    await intoLaunchWithoutContent(s.deps, s.engagementId, s.cast);
    const refused = await signOffRefusal(s.deps, s.engagementId, s.cast);
    expect(refused.blockers.filter((b) => b.kind === 'published').map((b) => b.id)).to.deep.equal(['facebook', 'vk']);
    await signStageOff(s.deps, other.cast.owner.id, other.engagementId, 'launch');
  });
});

/** The lines of the gate box, as the reader sees them. */
function gateLinesOf(html: string): string[] {
  const box = /<section class="card gate" id="gate">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  const list = /<ul>([\s\S]*?)<\/ul>/.exec(box)?.[1] ?? '';
  return [...list.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!.replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
}

describe('the Launch gate box over HTTP', function () {
  this.timeout(180_000);
  const suite = useWebApp();

  it('lists the networks short of published items and the items waiting for approval, in English and Russian, with where to act', async () => {
    const deps = suite.app.deps;
    await intoLaunchWithoutContent(deps, suite.engagementId, suite.cast);
    await published(deps, suite.engagementId, suite.cast, 'facebook', 4);
    await published(deps, suite.engagementId, suite.cast, 'vk', 2);
    const vk = await channelOf(deps, suite.engagementId, 'vk');
    await submitted(deps, suite.engagementId, suite.cast, vk.key, 'Rye on Friday');
    await submitted(deps, suite.engagementId, suite.cast, vk.key, 'Poppy buns');
    const page = `/engagements/${suite.engagementId}`;

    const consultant = await suite.signedIn(suite.cast.consultant);
    const english = (await consultant.get(page)).text;
    expect(gateLinesOf(english)).to.include.members([
      'Mandatory network VK has 2 published content items; the stage needs at least 4',
      '2 content items wait for the owner’s approval: Rye on Friday; Poppy buns',
    ]);
    expect(gateLinesOf(english).join('\n'), 'Facebook has its four').not.to.contain('Facebook');
    expect(english).to.contain(`<li class="gate-step-published"><a href="${page}/content/calendar">VK</a>`);
    expect(english).to.contain(`<li class="gate-step-contentApproval"><a href="${page}/content/items?status=submitted">Rye on Friday; Poppy buns</a>`);

    const owner = await suite.signedIn(suite.cast.owner);
    const ownerHome = (await owner.get('/')).text;
    expect(ownerHome, 'the owner is told the content waits for them').to.contain(`<a href="${page}/content/items?status=submitted">Approve content: 2 items wait for your decision</a>`);
    const staffHome = (await (await suite.signedIn(suite.cast.staff[0]!)).get('/')).text;
    expect(staffHome, 'staff do not decide content').not.to.contain('Approve content');
    await owner.get(page);
    await owner.post('/language', { locale: 'ru', back: page });
    const russian = gateLinesOf((await owner.get(page)).text);
    expect(russian).to.include.members([
      'В обязательной сети ВКонтакте вышли 2 публикации, а нужно не меньше 4',
      '2 публикации ждут согласования владельца: Rye on Friday; Poppy buns',
    ]);
    expect((await owner.get('/')).text).to.contain('На согласовании 2 публикации: ждут вашего решения');
    await owner.get(page);
    const refused = await owner.post(`${page}/stages/launch/signoff`);
    expect(refused.status, 'the sign-off is refused while the content holds the gate').to.not.equal(303);
    expect(refused.text).to.contain('В обязательной сети ВКонтакте вышли 2 публикации, а нужно не меньше 4');
  });
});

describe('the loader and the content gate rules', () => {
  const text = readFileSync(join(METHODOLOGY_DIR, 'e1t-1', 'methodology.yaml'), 'utf8');
  const modules = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.trainingModules;
  const launchGate = (data: any) => data.stages.find((st: { id: string }) => st.id === 'launch').gate as Record<string, unknown>[];
  const problemsWith = (change: (m: any) => void) => {
    const data = parse(text);
    change(data);
    const result = parseMethodologyText(stringify(data), 'm.yaml', modules);
    return 'problems' in result ? result.problems.map((p) => `${p.path}: ${p.message}`) : [];
  };

  it('reads the threshold from the data and accepts the file as it is', () => {
    expect(problemsWith(() => {})).to.deep.equal([]);
    const launch = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.stages.find((st) => st.id === 'launch')!;
    expect(launch.gate).to.deep.include({ rule: 'published-per-network', atLeast: 4 });
    expect(launch.gate).to.deep.include({ rule: 'no-content-awaiting-approval' });
  });

  it('refuses a broken content rule with the place and the reason', () => {
    const at = (data: any) => launchGate(data).findIndex((r) => r.rule === 'published-per-network');
    expect(problemsWith((d) => (launchGate(d)[at(d)]!.atLeast = 0))).to.deep.equal(['stages[2].gate[1].atLeast: atLeast must be at least 1']);
    expect(problemsWith((d) => (launchGate(d)[at(d)]!.atLeast = 2.5))).to.deep.equal(['stages[2].gate[1].atLeast: atLeast must be a whole number of published items']);
    expect(problemsWith((d) => delete launchGate(d)[at(d)]!.atLeast)).to.have.length(1);
    expect(problemsWith((d) => (launchGate(d)[at(d)]!.network = 'vk'))[0]).to.match(/^stages\[2\]\.gate\[1\]: .*network/);
    // Pushed last, after the rules the Launch gate already lists.
    const last = launchGate(parse(text)).length;
    expect(problemsWith((d) => launchGate(d).push({ rule: 'no-content-awaiting-approval' }))).to.deep.equal([`stages[2].gate[${last}].rule: "no-content-awaiting-approval" is already in this stage's gate: say it once`]);
    expect(problemsWith((d) => delete d.contentPlan)).to.include('stages[2].gate[1].rule: "published-per-network" reads the content items of the content plan: the methodology needs a contentPlan');
    expect(problemsWith((d) => launchGate(d).push({ rule: 'published-somewhere' }))[0]).to.contain('unknown gate rule');
  });
});

describe('the content gate rules, pure', () => {
  const networks = [
    { id: 'vk', name: 'VK', label: { en: 'VK', ru: 'ВКонтакте' }, mandatory: true },
    { id: 'telegram', name: 'Telegram', mandatory: false },
  ];
  const facts = (publishedByNetwork: Record<string, number>, count = 0, titles: string[] = []) => ({ publishedByNetwork, awaiting: { count, titles } });

  it('asks only the mandatory networks, by their name in the reader’s language, and is met at the threshold', () => {
    const rule = { rule: 'published-per-network' as const, atLeast: 2 };
    expect(contentBlockers(rule, networks, facts({ telegram: 9 }), 'ru')).to.deep.equal([{ kind: 'published', id: 'vk', title: 'ВКонтакте', published: 0, required: 2 }]);
    expect(contentBlockers(rule, networks, facts({ vk: 2 }), 'en')).to.deep.equal([]);
  });

  it('names the first waiting titles and says when there are more', () => {
    const rule = { rule: 'no-content-awaiting-approval' as const };
    expect(contentBlockers(rule, networks, facts({}, 0), 'en')).to.deep.equal([]);
    expect(contentBlockers(rule, networks, facts({}, 5, ['A', 'B', 'C']), 'en')).to.deep.equal([{ kind: 'contentApproval', id: 'content-approval', title: 'A; B; C; …', count: 5 }]);
  });
});
