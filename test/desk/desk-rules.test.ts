import { expect } from 'chai';

import { parse } from 'yaml';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMethodologies, MethodologyInvalidError } from '../../src/methodology/methodology.loader.ts';
import { methodologySchema } from '../../src/methodology/methodology.schema.ts';
import { METHODOLOGY_DIR } from '../helpers/factories.ts';
import { answerWarnings } from '../../src/desk/answer-warnings.ts';
import { dueBy, judge, normFor, responseShares, weeklyResponseShares, workingDayDeadline } from '../../src/desk/response-norms.ts';

const e1t = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition;
const desk = e1t.reviewDesk!;
const at = (iso: string) => new Date(iso);
const codes = (answer: string, sentiment: 'positive' | 'negative' = 'negative', kind: 'review' | 'messenger' | 'email' = 'review') => answerWarnings({ answer, sentiment, kind }, desk.phrases).map((w) => w.phrase ? `${w.code}: ${w.phrase}` : w.code);

describe('the desk in the E1T data', () => {
  it('carries the twelve rules, six don’ts and six do’s, and a norm for each kind in both languages', () => {
    expect(desk.rules).to.have.length(12);
    expect(desk.rules.filter((r) => r.kind === 'dont')).to.have.length(6);
    expect(desk.responseNorms.map((n) => n.kind)).to.deep.equal(['review', 'messenger', 'email']);
    expect(normFor(desk, 'review')).to.deep.include({ limit: 'same-day', ideal: { minutes: 60 } });
    expect(normFor(desk, 'messenger').limit).to.deep.equal({ minutes: 120 });
    expect(normFor(desk, 'email').limit).to.equal('working-day');
    expect(loadMethodologies(METHODOLOGY_DIR).get('e1t-vk-telegram@1')!.definition.reviewDesk, 'the variant takes the base’s desk').to.deep.equal(desk);
  });
});

describe('the loader refuses a broken desk, naming the path', () => {
  const modules = e1t.trainingModules;
  const raw = () => ({ ...parse(readFileSync('methodology/e1t-1/methodology.yaml', 'utf8')), trainingModules: modules }) as Record<string, any>;
  const problemsOf = (m: unknown) => {
    const parsed = methodologySchema.safeParse(m);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('names a missing norm, a norm twice, an ideal past its limit, a rule id twice and a bad limit', () => {
    const m = raw();
    m.reviewDesk.responseNorms[2].kind = 'messenger';
    m.reviewDesk.responseNorms[1].ideal = { minutes: 180 };
    m.reviewDesk.rules[1].id = 'no-template';
    expect(problemsOf(m)).to.have.members([
      'reviewDesk.responseNorms.2.kind: kind "messenger" has a norm already',
      'reviewDesk.responseNorms.1.ideal: the ideal (180 minutes) is longer than the limit (120 minutes)',
      'reviewDesk.rules.1.id: rule id "no-template" is used twice',
      'reviewDesk.responseNorms: give a norm for kind "email"',
    ]);
    const bad = raw();
    bad.reviewDesk.responseNorms[0].limit = 'next-week';
    bad.reviewDesk.phrases.stock.ru = [];
    bad.reviewDesk.rules[0].text = { en: 'Only English' };
    expect(problemsOf(bad).map((p) => p.split(':')[0])).to.have.members([
      'reviewDesk.responseNorms.0.limit', 'reviewDesk.phrases.stock.ru', 'reviewDesk.rules.0.text.ru',
    ]);
    const noDay = raw();
    delete noDay.reviewDesk.workingDay;
    expect(problemsOf(noDay)).to.deep.equal(['reviewDesk.responseNorms.2.limit: a "working-day" limit needs the working day: add workingDay { weekdays, start, end }']);
  });

  it('refuses a methodology file whose desk is broken, naming the file and the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'troika-desk-'));
    try {
      cpSync('methodology/e1t-1', join(dir, 'e1t-1'), { recursive: true });
      const text = readFileSync('methodology/e1t-1/methodology.yaml', 'utf8').replace('limit: { minutes: 120 }', 'limit: { hours: 2 }');
      writeFileSync(join(dir, 'e1t-1', 'methodology.yaml'), text);
      const error = (() => {
        try {
          loadMethodologies(dir);
        } catch (e) {
          return e;
        }
      })();
      expect(error).to.be.instanceOf(MethodologyInvalidError);
      const problems = (error as MethodologyInvalidError).problems;
      expect(problems.map((p) => [p.file.endsWith(join('e1t-1', 'methodology.yaml')), p.path])).to.deep.include([true, 'reviewDesk.responseNorms[1].limit']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still loads a methodology without a desk, once no KPI reads the desk', () => {
    const m = raw();
    delete m.reviewDesk;
    expect(problemsOf(m)[0]).to.equal('kpis.deskShares.0: a desk share needs the reviewDesk section whose norms it reads');
    m.kpis.deskShares = [];
    const column = m.documentTypes.find((d: { id: string }) => d.id === 'target-criteria').fields[0].columns.find((c: { id: string }) => c.id === 'measuredBy');
    column.options = column.options.slice(0, 6);
    expect(problemsOf(m)).to.deep.equal([]);
  });

  it('checks the desk shares a KPI may read: known kinds, ids once, an ideal only where the norm has one, every offered share declared', () => {
    const m = raw();
    m.reviewDesk.responseNorms[2].ideal = undefined;
    m.kpis.deskShares.push({ id: 'reviewsSameDay', kind: 'review', within: 'norm' }, { id: 'leads', kind: 'review', within: 'norm' }, { id: 'emailsFast', kind: 'email', within: 'ideal' });
    expect(problemsOf(m)).to.have.members([
      'kpis.deskShares.4.id: measure "reviewsSameDay" is declared twice',
      'kpis.deskShares.5.id: measure "leads" is declared twice',
      'kpis.deskShares.6.within: the desk\'s norm for kind "email" has no ideal time: use "norm", or add the ideal to the norm',
    ]);
    const bad = raw();
    bad.kpis.deskShares[0].kind = 'fax';
    bad.kpis.deskShares[1].within = 'soon';
    expect(problemsOf(bad).map((p) => p.split(':')[0])).to.have.members(['kpis.deskShares.0.kind', 'kpis.deskShares.1.within']);
    const undeclared = raw();
    undeclared.kpis.deskShares = undeclared.kpis.deskShares.filter((d: { id: string }) => d.id !== 'emailsInTime');
    expect(problemsOf(undeclared)).to.deep.equal(['kpis.measures: column "measuredBy" offers "emailsInTime", which is not declared under kpis.measures or kpis.deskShares']);
  });
});

describe('answer warnings', () => {
  it('finds stock phrases in either language, whatever the case, spacing or ё', () => {
    expect(codes('Thank you for your FEEDBACK,\n  we will fix the oven.')).to.deep.equal(['stockPhrase: thank you for your feedback']);
    expect(codes('Ваше мнение  очень важно для нас! Печь уже починили.')).to.deep.equal(['stockPhrase: ваше мнение очень важно для нас']);
    expect(codes('Приносим извинения за доставлённые неудобства')).to.deep.equal(['stockPhrase: приносим извинения за доставленные неудобства']);
  });

  it('warns when the answer sends the customer to another channel', () => {
    expect(codes('Sorry about the cake. Please call the hotline tomorrow.')).to.deep.equal(['otherChannel: call the hotline']);
    expect(codes('Напишите нам на почту, разберёмся.')).to.deep.equal(['otherChannel: напишите нам на почту']);
  });

  it('asks for thanks under a positive review only, in any form of the word', () => {
    expect(codes('Glad you liked the rye, see you on Saturday!', 'positive')).to.deep.equal(['noThanks']);
    expect(codes('Glad you liked the rye, see you on Saturday!', 'negative')).to.deep.equal([]);
    expect(codes('Glad you liked the rye, see you on Saturday!', 'positive', 'messenger'), 'a message is no review').to.deep.equal([]);
    expect(codes('Thanks, Marina! The rye is back on Tuesday.', 'positive')).to.deep.equal([]);
    expect(codes('Благодарим, Марина! Ржаной снова во вторник.', 'positive')).to.deep.equal([]);
    expect(codes('Спасибо, приходите ещё', 'positive')).to.deep.equal([]);
  });

  it('gives a personal answer no warning, and an empty one none either', () => {
    expect(codes('Marina, the cake was late and the name was wrong: that is our fault. We have baked a new one for Sofia, free, ready at 3 p.m.')).to.deep.equal([]);
    expect(codes('   ')).to.deep.equal([]);
  });
});

describe('answer-time norms', () => {
  const review = normFor(desk, 'review');
  const messenger = normFor(desk, 'messenger');
  const email = normFor(desk, 'email');
  const wd = desk.workingDay;
  const verdict = (norm: typeof review, received: string, sent: string | null, now = '2026-03-20T00:00:00Z') => judge(norm, wd, { receivedAt: at(received), sentAt: sent ? at(sent) : null }, at(now), 'UTC');

  it('holds a review to the same day, and an hour ideally', () => {
    expect(verdict(review, '2026-03-03T10:00:00Z', '2026-03-03T10:45:00Z')).to.deep.include({ verdict: 'ideal', minutes: 45 });
    expect(verdict(review, '2026-03-03T10:00:00Z', '2026-03-03T11:00:00Z').verdict, 'exactly an hour is still ideal').to.equal('ideal');
    expect(verdict(review, '2026-03-03T10:00:00Z', '2026-03-03T23:59:00Z')).to.deep.include({ verdict: 'met', minutes: 839 });
    expect(verdict(review, '2026-03-03T23:30:00Z', '2026-03-04T00:10:00Z')).to.deep.include({ verdict: 'missed', minutes: 40 });
    expect(dueBy(review, at('2026-03-03T10:00:00Z'), wd).toISOString()).to.equal('2026-03-03T23:59:59.999Z');
  });

  it('holds a messenger message to two hours, one ideally', () => {
    expect(verdict(messenger, '2026-03-03T10:00:00Z', '2026-03-03T10:59:00Z').verdict).to.equal('ideal');
    expect(verdict(messenger, '2026-03-03T10:00:00Z', '2026-03-03T12:00:00Z').verdict).to.equal('met');
    expect(verdict(messenger, '2026-03-03T10:00:00Z', '2026-03-03T12:01:00Z').verdict).to.equal('missed');
  });

  it('holds an e-mail to the end of the working day it came on, or of the next one', () => {
    const deadline = (iso: string) => workingDayDeadline(at(iso), wd!).toISOString();
    expect(deadline('2026-03-03T07:00:00Z'), 'Tuesday before opening').to.equal('2026-03-03T18:00:00.000Z');
    expect(deadline('2026-03-03T17:59:00Z'), 'Tuesday just before closing').to.equal('2026-03-03T18:00:00.000Z');
    expect(deadline('2026-03-03T18:00:00Z'), 'Tuesday at closing').to.equal('2026-03-04T18:00:00.000Z');
    expect(deadline('2026-03-06T19:00:00Z'), 'Friday evening').to.equal('2026-03-09T18:00:00.000Z');
    expect(deadline('2026-03-07T11:00:00Z'), 'Saturday').to.equal('2026-03-09T18:00:00.000Z');
    expect(verdict(email, '2026-03-06T19:00:00Z', '2026-03-09T17:30:00Z')).to.deep.include({ verdict: 'met', minutes: 4230 });
    expect(verdict(email, '2026-03-03T09:00:00Z', '2026-03-03T18:00:01Z').verdict).to.equal('missed');
  });

  it('calls an unanswered entry waiting while in time and overdue after', () => {
    expect(verdict(messenger, '2026-03-03T10:00:00Z', null, '2026-03-03T11:30:00Z')).to.deep.include({ verdict: 'waiting', minutes: null });
    expect(verdict(messenger, '2026-03-03T10:00:00Z', null, '2026-03-03T12:30:00Z').verdict).to.equal('overdue');
  });

  it('counts the shares of entries answered within the norm, leaving out those still in time', () => {
    const entry = (kind: 'review' | 'messenger' | 'email', received: string, sent: string | null) => ({ kind, receivedAt: at(received), sentAt: sent ? at(sent) : null });
    const shares = responseShares([
      entry('review', '2026-03-03T10:00:00Z', '2026-03-03T10:30:00Z'),
      entry('review', '2026-03-03T10:00:00Z', '2026-03-03T20:00:00Z'),
      entry('review', '2026-03-03T10:00:00Z', '2026-03-04T09:00:00Z'),
      entry('review', '2026-03-02T10:00:00Z', null),
      entry('review', '2026-03-05T10:00:00Z', null),
      entry('messenger', '2026-03-05T09:00:00Z', '2026-03-05T09:20:00Z'),
    ], desk, at('2026-03-05T12:00:00Z'), 'UTC');
    expect(shares.find((s) => s.kind === 'review')).to.deep.equal({ kind: 'review', received: 5, answered: 3, withinNorm: 2, ideal: 1, missed: 2, waiting: 1, share: 50, idealShare: 25 });
    expect(shares.find((s) => s.kind === 'messenger')).to.include({ share: 100, idealShare: 100 });
    expect(shares.find((s) => s.kind === 'email')).to.include({ received: 0, share: null });
  });

  // Vladivostok is UTC+10 all year: 23:30 there is 13:30 UTC, 00:30 the next day is 14:30 UTC.
  describe('in the engagement’s time zone', () => {
    const zone = 'Asia/Vladivostok';
    const judged = (norm: typeof review, received: string, sent: string | null, now = '2026-03-20T00:00:00Z') => judge(norm, wd, { receivedAt: at(received), sentAt: sent ? at(sent) : null }, at(now), zone);

    it('takes “the same day” as the local day: 23:30 local is in time, 00:30 the next local day is not', () => {
      // Received at 09:00 local on Tuesday 3 March (23:00 UTC on Monday).
      expect(dueBy(review, at('2026-03-02T23:00:00Z'), wd, zone).toISOString()).to.equal('2026-03-03T13:59:59.999Z');
      expect(judged(review, '2026-03-02T23:00:00Z', '2026-03-03T13:30:00Z').verdict, '23:30 local, the same day').to.equal('met');
      expect(judged(review, '2026-03-02T23:00:00Z', '2026-03-03T14:30:00Z').verdict, '00:30 local, the next day').to.equal('missed');
      // Judged in UTC, the answer at 23:30 local would be late: 23:00 and 13:30 UTC fall on different UTC days.
      expect(judge(review, wd, { receivedAt: at('2026-03-02T23:00:00Z'), sentAt: at('2026-03-03T13:30:00Z') }, at('2026-03-20T00:00:00Z'), 'UTC').verdict).to.equal('missed');
      expect(judged(review, '2026-03-02T23:00:00Z', null, '2026-03-03T13:59:00Z').verdict, 'unanswered before local midnight').to.equal('waiting');
      expect(judged(review, '2026-03-02T23:00:00Z', null, '2026-03-03T14:00:00Z').verdict, 'unanswered after local midnight').to.equal('overdue');
    });

    it('takes the working day by the local clock and the local weekday', () => {
      const deadline = (iso: string) => workingDayDeadline(at(iso), wd!, zone).toISOString();
      expect(deadline('2026-03-02T23:00:00Z'), 'Tuesday 09:00 local: 18:00 local is 08:00 UTC').to.equal('2026-03-03T08:00:00.000Z');
      expect(deadline('2026-03-03T08:30:00Z'), 'Tuesday 18:30 local, after hours: Wednesday').to.equal('2026-03-04T08:00:00.000Z');
      expect(deadline('2026-03-06T15:00:00Z'), 'Saturday 01:00 local, though Friday in UTC: Monday').to.equal('2026-03-09T08:00:00.000Z');
      expect(judged(email, '2026-03-02T23:00:00Z', '2026-03-03T07:59:00Z').verdict).to.equal('met');
      expect(judged(email, '2026-03-02T23:00:00Z', '2026-03-03T08:01:00Z').verdict).to.equal('missed');
    });

    it('gives the weekly series of a desk share by the local week of the answer, counting an unanswered entry past its norm as late', () => {
      const entry = (received: string, sent: string | null) => ({ kind: 'review', receivedAt: at(received), sentAt: sent ? at(sent) : null });
      const entries = [
        entry('2026-03-02T00:00:00Z', '2026-03-02T00:30:00Z'), // Monday 10:00 local, answered in half an hour: week 10
        entry('2026-03-02T00:00:00Z', '2026-03-02T13:30:00Z'), // answered 23:30 local the same day: in time, week 10
        entry('2026-03-02T00:00:00Z', '2026-03-02T14:30:00Z'), // answered 00:30 local on Tuesday: late, week 10
        entry('2026-03-08T12:00:00Z', '2026-03-08T14:30:00Z'), // Sunday 22:00 local, answered 00:30 local Monday 9 March: late, week 11 (still week 10 in UTC)
        entry('2026-03-09T00:00:00Z', null), // Monday 10:00 local, never answered: late in week 11 once local midnight passed
        entry('2026-03-10T00:00:00Z', null), // still in time at "now": not counted
        { kind: 'messenger', receivedAt: at('2026-03-02T00:00:00Z'), sentAt: at('2026-03-02T05:00:00Z') },
      ];
      const now = at('2026-03-10T01:00:00Z');
      expect(weeklyResponseShares(entries, desk, { kind: 'review', within: 'norm' }, now, zone)).to.deep.equal([
        { week: '2026-W10', value: 67, decided: 3 },
        { week: '2026-W11', value: 0, decided: 2 },
      ]);
      expect(weeklyResponseShares(entries, desk, { kind: 'review', within: 'ideal' }, now, zone)[0]).to.deep.equal({ week: '2026-W10', value: 33, decided: 3 });
      expect(weeklyResponseShares(entries, desk, { kind: 'messenger', within: 'norm' }, now, zone)).to.deep.equal([{ week: '2026-W10', value: 0, decided: 1 }]);
      expect(weeklyResponseShares(entries, desk, { kind: 'review', within: 'norm' }, now, 'UTC'), 'judged in UTC, the same entries read otherwise').to.deep.equal([
        { week: '2026-W10', value: 100, decided: 4 },
        { week: '2026-W11', value: 0, decided: 1 },
      ]);
    });
  });
});
