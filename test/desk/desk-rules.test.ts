import { expect } from 'chai';

import { parse } from 'yaml';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMethodologies, MethodologyInvalidError } from '../../src/methodology/methodology.loader.ts';
import { methodologySchema } from '../../src/methodology/methodology.schema.ts';
import { METHODOLOGY_DIR } from '../helpers/factories.ts';
import { answerWarnings } from '../../src/desk/answer-warnings.ts';
import { dueBy, judge, normFor, responseShares, workingDayDeadline } from '../../src/desk/response-norms.ts';

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

  it('still loads a methodology without a desk', () => {
    const m = raw();
    delete m.reviewDesk;
    expect(problemsOf(m)).to.deep.equal([]);
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
  const verdict = (norm: typeof review, received: string, sent: string | null, now = '2026-03-20T00:00:00Z') => judge(norm, wd, { receivedAt: at(received), sentAt: sent ? at(sent) : null }, at(now));

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
    ], desk, at('2026-03-05T12:00:00Z'));
    expect(shares.find((s) => s.kind === 'review')).to.deep.equal({ kind: 'review', received: 5, answered: 3, withinNorm: 2, ideal: 1, missed: 2, waiting: 1, share: 50, idealShare: 25 });
    expect(shares.find((s) => s.kind === 'messenger')).to.include({ share: 100, idealShare: 100 });
    expect(shares.find((s) => s.kind === 'email')).to.include({ received: 0, share: null });
  });
});
