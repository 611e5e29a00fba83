import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { makeEngagement, useStartedEngagement } from '../helpers/factories.ts';
import { Engagement, EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { BlockedError, ForbiddenError, InvalidInputError, NotFoundError } from '../../src/errors.ts';
import { Kpi, KpiActual } from '../../src/kpi/kpi.entity.ts';
import { enterWeeklyActuals, importActualsCsv } from '../../src/kpi/kpi.service.ts';
import { kpiSummaries, listKpis } from '../../src/kpi/kpi.queries.ts';
import { fillFinalEvaluation, fillQuarterlyPlan } from '../../src/kpi/kpi-fill.service.ts';
import { loadGateInput } from '../../src/engagement/gate.queries.ts';
import { describeBlockers, findGateBlockers } from '../../src/engagement/gate.ts';
import { submitDocument } from '../../src/documents/documents.service.ts';
import { ProjectDocument, DocumentVersion } from '../../src/documents/document.entity.ts';
import { FOLLOWERS, LEADS, approveTargets } from './kpi-helpers.ts';
import { nameOwnerDelegate } from '../../src/engagement/owner-delegate.service.ts';

const fieldsOf = (error: Error) => (error as InvalidInputError).problems.map((p) => p.field).sort();

describe('KPIs of an engagement', () => {
  const s = useStartedEngagement();
  const kpis = () => s.db.orm.em.fork().find(Kpi, { engagement: s.engagementId }, { orderBy: { position: 'asc' } });
  const actuals = () => s.db.orm.em.fork().find(KpiActual, { kpi: { engagement: s.engagementId } }, { orderBy: { week: 'asc' }, populate: ['kpi'] });
  const byMetric = async (metric: string) => (await kpis()).find((k) => k.metric === metric)!;

  it('makes each row of the approved target criteria a KPI, with its event', async () => {
    await approveTargets(s.deps, s.cast, s.engagementId);
    const list = await kpis();
    expect(list.map((k) => [k.metric, k.network ?? null, k.baseline, k.target, k.targetDate, k.measure ?? null, k.startsOn])).to.deep.equal([
      ['Followers', 'vk', 100, 500, '2026-05-31', null, '2026-03-02'],
      ['Leads', null, 0, 40, '2026-05-31', 'leads', '2026-03-02'],
    ]);
    const [approval] = await s.db.orm.em.fork().find(EngagementEvent, { engagement: s.engagementId, type: 'document.approve' });
    expect(approval!.payload.kpis).to.deep.equal({ count: 2, added: ['Followers', 'Leads'], removed: [] });
  });

  it('takes weekly actuals from the consultant and the owner, refuses staff, and answers "not found" to outsiders and other engagements', async () => {
    await approveTargets(s.deps, s.cast, s.engagementId);
    s.deps.time.advanceDays(14); // 2026-03-16, week 12
    const followers = await byMetric('Followers');
    await enterWeeklyActuals(s.deps, s.cast.owner.id, s.engagementId, { week: '2026-W10', values: { [followers.id]: '150' } });
    await enterWeeklyActuals(s.deps, s.cast.consultant.id, s.engagementId, { week: '2026-W11', values: { [followers.id]: '1 200,5' } });
    await enterWeeklyActuals(s.deps, s.cast.consultant.id, s.engagementId, { week: '2026-W11', values: { [followers.id]: '210' } });
    expect((await actuals()).map((a) => [a.week, a.value])).to.deep.equal([['2026-W10', 150], ['2026-W11', 210]]);
    expect(await refusalOf(enterWeeklyActuals(s.deps, s.cast.staff[0]!.id, s.engagementId, { week: '2026-W11', values: { [followers.id]: '1' } }))).to.be.instanceOf(ForbiddenError);
    expect(await refusalOf(enterWeeklyActuals(s.deps, s.cast.outsider.id, s.engagementId, { week: '2026-W11', values: { [followers.id]: '1' } }))).to.be.instanceOf(NotFoundError);
    expect(await refusalOf(listKpis(s.deps, s.cast.outsider.id, s.engagementId))).to.be.instanceOf(NotFoundError);
    // The staff member the owner names to act for them enters them too.
    await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: s.cast.staff[1]!.id });
    await enterWeeklyActuals(s.deps, s.cast.staff[1]!.id, s.engagementId, { week: '2026-W12', values: { [followers.id]: '220' } });
    expect((await actuals()).map((a) => a.week)).to.deep.equal(['2026-W10', '2026-W11', '2026-W12']);
    // Staff read them.
    expect((await listKpis(s.deps, s.cast.staff[0]!.id, s.engagementId)).map((k) => k.metric)).to.deep.equal(['Followers', 'Leads']);
    // A KPI of another engagement is no KPI of this one: refused by its field, nothing saved there.
    const other = await makeEngagement(s.deps);
    await approveTargets(s.deps, other.cast, other.engagementId);
    const foreign = (await s.db.orm.em.fork().find(Kpi, { engagement: other.engagementId }))[0]!;
    const refused = await refusalOf(enterWeeklyActuals(s.deps, s.cast.consultant.id, s.engagementId, { week: '2026-W11', values: { [foreign.id]: '5' } }));
    expect(fieldsOf(refused)).to.deep.equal([`values.${foreign.id}`]);
    expect(await refusalOf(enterWeeklyActuals(s.deps, other.cast.consultant.id, s.engagementId, { week: '2026-W11', values: { [followers.id]: '5' } }))).to.be.instanceOf(NotFoundError);
    expect(await s.db.orm.em.fork().count(KpiActual, { kpi: foreign.id })).to.equal(0);
  });

  it('refuses bad input with a problem per field and changes nothing', async () => {
    await approveTargets(s.deps, s.cast, s.engagementId);
    const [followers, leads] = await kpis();
    const tries: [Record<string, unknown>, string[]][] = [
      [{ week: 'soon', values: { [followers!.id]: '5' } }, ['week']],
      [{ week: '2026-W30', values: { [followers!.id]: '5' } }, ['week']],
      [{ week: '2026-W10', values: { [followers!.id]: 'many', [leads!.id]: '1e3' } }, [`values.${followers!.id}`, `values.${leads!.id}`]],
      [{ week: '2026-W10', values: { [followers!.id]: '' } }, ['values']],
    ];
    for (const [input, fields] of tries) {
      const error = await refusalOf(enterWeeklyActuals(s.deps, s.cast.consultant.id, s.engagementId, input as never));
      expect(error, JSON.stringify(input)).to.be.instanceOf(InvalidInputError);
      expect(fieldsOf(error), JSON.stringify(input)).to.deep.equal(fields.sort());
    }
    expect(await actuals()).to.have.length(0);
  });

  it('imports CSV actuals, and a file with one broken line imports nothing and names each broken line', async () => {
    await approveTargets(s.deps, s.cast, s.engagementId);
    s.deps.time.advanceDays(14);
    const broken = ['week;indicator;network;value', '2026-W10;Followers;VK;150', '2026-W11;Folowers;vk;170', '2026-W11;Leads;;lots', 'W11;Leads;;3', '2026-W11;Leads;;4;extra'].join('\n');
    const error = await refusalOf(importActualsCsv(s.deps, s.cast.consultant.id, s.engagementId, broken));
    expect(fieldsOf(error)).to.deep.equal(['csv.3', 'csv.4', 'csv.5', 'csv.6']);
    expect(await actuals()).to.have.length(0);
    const good = 'week,indicator,network,value\n2026-W10,Followers,ВКонтакте,150\n2026-W11,followers,vk,"1 170"\n2026-W11,Leads,,3\n';
    expect(await importActualsCsv(s.deps, s.cast.owner.id, s.engagementId, good)).to.deep.equal({ count: 3 });
    expect((await actuals()).map((a) => [a.kpi.metric, a.week, a.value, a.enteredVia])).to.deep.equal([
      ['Followers', '2026-W10', 150, 'csv'], ['Followers', '2026-W11', 1170, 'csv'], ['Leads', '2026-W11', 3, 'csv'],
    ]);
    expect(await refusalOf(importActualsCsv(s.deps, s.cast.staff[0]!.id, s.engagementId, good))).to.be.instanceOf(ForbiddenError);
  });

  it('keeps actuals through a newer approved version where the metric and network stay, and drops the rest', async () => {
    await approveTargets(s.deps, s.cast, s.engagementId);
    s.deps.time.advanceDays(14);
    await importActualsCsv(s.deps, s.cast.consultant.id, s.engagementId, '2026-W10,Followers,vk,150\n2026-W10,Leads,,2');
    await approveTargets(s.deps, s.cast, s.engagementId, [{ ...FOLLOWERS, target: 600 }, { metric: 'Reach', baseline: 0, target: 5000, date: '2026-05-31', measuredBy: 'reach' }]);
    const list = await kpis();
    expect(list.map((k) => [k.metric, k.target, k.startsOn])).to.deep.equal([['Followers', 600, '2026-03-02'], ['Reach', 5000, '2026-03-16']]);
    expect((await actuals()).map((a) => [a.kpi.metric, a.week, a.value])).to.deep.equal([['Followers', '2026-W10', 150]]);
  });

  it('states the status by its arithmetic: behind, on track and met against the straight line to the target', async () => {
    await approveTargets(s.deps, s.cast, s.engagementId, [FOLLOWERS]);
    s.deps.time.advanceDays(45); // half of the 90 days to 31 May has passed: 300 expected
    const followers = await byMetric('Followers');
    const standing = async () => {
      const engagement = await s.db.orm.em.fork().findOneOrFail(Engagement, s.engagementId, { populate: ['methodology.definition'] });
      return (await kpiSummaries(s.db.orm.em.fork(), { id: s.engagementId, methodology: engagement.methodology.definition }, s.deps.clock().toISOString().slice(0, 10)))[0]!.standing;
    };
    expect((await standing()).status).to.equal('noData');
    await enterWeeklyActuals(s.deps, s.cast.consultant.id, s.engagementId, { week: '2026-W16', values: { [followers.id]: '290' } });
    expect(await standing()).to.deep.include({ status: 'behind', expected: 300 });
    await enterWeeklyActuals(s.deps, s.cast.consultant.id, s.engagementId, { week: '2026-W16', values: { [followers.id]: '300' } });
    expect((await standing()).status).to.equal('onTrack');
    await enterWeeklyActuals(s.deps, s.cast.consultant.id, s.engagementId, { week: '2026-W16', values: { [followers.id]: '500' } });
    expect((await standing()).status).to.equal('met');
  });

  it('holds the Launch gate until every KPI has actuals for the last two completed weeks', async () => {
    await approveTargets(s.deps, s.cast, s.engagementId, [FOLLOWERS]);
    s.deps.time.advanceDays(21); // 2026-03-23, week 13: weeks 11 and 12 are the last completed
    const em = s.db.orm.em.fork();
    const engagement = await em.findOneOrFail(Engagement, s.engagementId, { populate: ['methodology.definition'] });
    const methodology = engagement.methodology.definition;
    const launch = methodology.stages.find((st) => st.id === 'launch')!;
    const blockers = async () => findGateBlockers(await loadGateInput(s.db.orm.em.fork(), engagement, launch, 'en', methodology, s.deps.clock())).filter((b) => b.kind === 'kpiActuals');
    expect(await blockers()).to.deep.equal([{ kind: 'kpiActuals', id: (await byMetric('Followers')).id, title: 'Followers (VK)', weeks: ['2026-W11', '2026-W12'] }]);
    expect(describeBlockers(await blockers())).to.deep.equal(['KPI “Followers (VK)” has no actual for weeks 2026-W11, 2026-W12']);
    await importActualsCsv(s.deps, s.cast.consultant.id, s.engagementId, '2026-W11,Followers,vk,150\n2026-W12,Followers,vk,170');
    expect(await blockers()).to.deep.equal([]);
  });

  it('fills the quarterly plan and the final evaluation as drafts, and refuses to fill over a version in review', async () => {
    await approveTargets(s.deps, s.cast, s.engagementId, [FOLLOWERS, LEADS]);
    s.deps.time.advanceDays(21);
    await importActualsCsv(s.deps, s.cast.consultant.id, s.engagementId, '2026-W11,Followers,vk,150\n2026-W12,Followers,vk,200');
    const plan = await fillQuarterlyPlan(s.deps, s.cast.consultant.id, s.engagementId);
    const content = plan.content as Record<string, any>;
    expect(content.quarter).to.match(/^\d{4} Q[1-4]$/);
    expect(content.kpiTargets.map((r: any) => [r.metric, r.network])).to.deep.equal([['Followers', 'vk'], ['Leads', undefined]]);
    expect(content.kpiTargets[0].target).to.be.at.least(500);
    expect(content.regulations).to.have.length(3);
    const document = await s.db.orm.em.fork().findOneOrFail(ProjectDocument, plan.document.id);
    expect(document.status).to.equal('draft');
    await submitDocument(s.deps, s.cast.consultant.id, s.engagementId, document.id);
    const refused = await refusalOf(fillQuarterlyPlan(s.deps, s.cast.consultant.id, s.engagementId));
    expect(refused).to.be.instanceOf(BlockedError);
    expect((refused as BlockedError).reasons[0]).to.include('sent for approval');
    expect(await s.db.orm.em.fork().count(DocumentVersion, { document: document.id })).to.equal(1);

    const evaluation = await fillFinalEvaluation(s.deps, s.cast.staff[0]!.id, s.engagementId);
    const results = (evaluation.content as Record<string, any>).results;
    expect(results.map((r: any) => [r.metric, r.baseline, r.target, r.actual])).to.deep.equal([['Followers', 100, 500, 200], ['Leads', 0, 40, undefined]]);
    expect((evaluation.content as Record<string, any>).conclusions).to.include('0 of 2 KPIs');
    expect(await refusalOf(fillFinalEvaluation(s.deps, s.cast.owner.id, s.engagementId))).to.be.instanceOf(ForbiddenError);
  });
});
