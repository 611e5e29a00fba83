import { expect } from 'chai';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { gradeQuiz, publicQuiz } from '../../src/training/quiz.ts';
import { loadMethodologies, MethodologyInvalidError } from '../../src/methodology/methodology.loader.ts';
import type { TrainingModule } from '../../src/methodology/training.schema.ts';
import { METHODOLOGY_DIR } from '../helpers/factories.ts';

const t = (s: string) => ({ en: s, ru: `${s} (ru)` });
const answer = (id: string, correct: boolean) => ({ id, text: t(id), correct, explanation: t(`why ${id}`) });
const module: TrainingModule = {
  id: 'sample',
  stage: 'formatting',
  title: t('Sample'),
  objectives: { en: ['o'], ru: ['о'] },
  reading: t('Read'),
  quiz: {
    questions: [
      { id: 'q1', kind: 'single', text: t('one'), answers: [answer('a', true), answer('b', false)] },
      { id: 'q2', kind: 'multiple', text: t('two'), answers: [answer('a', true), answer('b', true), answer('c', false)] },
      { id: 'q3', kind: 'single', text: t('three'), answers: [answer('a', false), answer('b', true)] },
      { id: 'q4', kind: 'single', text: t('four'), answers: [answer('a', true), answer('b', false)] },
      { id: 'q5', kind: 'multiple', text: t('five'), answers: [answer('a', true), answer('b', false), answer('c', true)] },
    ],
  },
  assignment: { instructions: t('Do'), checklist: { en: ['c'], ru: ['ч'] } },
};

describe('quiz grading', () => {
  it('gives 100% when every answer is right, and passes', () => {
    const result = gradeQuiz(module, { q1: ['a'], q2: ['b', 'a'], q3: ['b'], q4: ['a'], q5: ['a', 'c'] }, 80);
    expect([result.score, result.isPassed]).to.deep.equal([100, true]);
  });

  it('counts a multiple-choice question only when exactly its right answers are chosen', () => {
    const missingOne = gradeQuiz(module, { q1: ['a'], q2: ['a'], q3: ['b'], q4: ['a'], q5: ['a', 'c'] }, 80);
    expect(missingOne.questions.find((q) => q.id === 'q2')!.isCorrect).to.equal(false);
    const oneTooMany = gradeQuiz(module, { q1: ['a'], q2: ['a', 'b', 'c'], q3: ['b'], q4: ['a'], q5: ['a', 'c'] }, 80);
    expect(oneTooMany.questions.find((q) => q.id === 'q2')!.isCorrect).to.equal(false);
    expect([missingOne.score, missingOne.isPassed]).to.deep.equal([80, true]);
  });

  it('fails below the pass mark with a partial score', () => {
    const result = gradeQuiz(module, { q1: ['b'], q2: ['a', 'b'], q3: ['a'], q4: ['a'], q5: ['c'] }, 80);
    expect([result.score, result.isPassed]).to.deep.equal([40, false]);
  });

  it('ignores answer ids that do not exist', () => {
    const result = gradeQuiz(module, { q1: ['a', 'zzz'], q2: [], q3: ['b'], q4: ['a'], q5: ['a', 'c'] }, 80);
    expect(result.questions.find((q) => q.id === 'q1')!.isCorrect).to.equal(true);
  });

  it('shows the browser the questions without the right answers or explanations', () => {
    const text = JSON.stringify(publicQuiz(module, 'en'));
    expect(text).not.to.contain('correct');
    expect(text).not.to.contain('why');
  });
});

describe('training modules in the methodology', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'troika-modules-'));
    cpSync(join(METHODOLOGY_DIR, 'e1t-1'), join(dir, 'e1t-1'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every E1T module with both languages and 5-10 questions', () => {
    const modules = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.trainingModules;
    expect(modules.length).to.be.at.least(3);
    for (const m of modules) {
      expect(m.quiz.questions.length, m.id).to.be.within(5, 10);
      expect(m.reading.ru, m.id).to.match(/[а-яё]{5}/i);
    }
  });

  function problemsWith(file: string, change: (m: Record<string, any>) => void) {
    const path = join(dir, 'e1t-1', 'training', file);
    const data = parse(readFileSync(join(METHODOLOGY_DIR, 'e1t-1', 'training', readdir()[0]!), 'utf8'));
    change(data);
    writeFileSync(path, stringify(data));
    try {
      loadMethodologies(dir);
    } catch (error) {
      return (error as MethodologyInvalidError).problems;
    }
    return [];
  }
  const readdir = () => loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.trainingModules.map((m) => `${m.id}.yaml`);

  it('names the file and the question that has no correct answer', () => {
    const problems = problemsWith(readdir()[0]!, (m) => m.quiz.questions[1].answers.forEach((a: any) => (a.correct = false)));
    expect(problems).to.have.length(1);
    expect(problems[0]!.file).to.contain(join('training', readdir()[0]!));
    expect(problems[0]!.path).to.equal('quiz.questions[1].answers');
  });

  it('refuses a missing Russian text', () => {
    const problems = problemsWith(readdir()[0]!, (m) => delete m.title.ru);
    expect(problems.map((p) => p.path)).to.deep.equal(['title.ru']);
  });

  it('refuses a duplicate question id and two right answers to a single-choice question', () => {
    const problems = problemsWith(readdir()[0]!, (m) => {
      m.quiz.questions[2].id = m.quiz.questions[0].id;
      const single = m.quiz.questions.find((q: any) => q.kind === 'single');
      single.answers.forEach((a: any) => (a.correct = true));
    });
    const messages = problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    expect(messages).to.contain('quiz.questions[2].id');
    expect(messages).to.match(/single-choice question has \d+ correct answers/);
  });

  it('refuses a module whose id differs from its file name', () => {
    const problems = problemsWith('renamed.yaml', () => {});
    expect(problems.some((p) => p.path === 'id' && p.message.includes('renamed'))).to.equal(true);
  });

  it('refuses a module that names an unknown stage', () => {
    const problems = problemsWith('copy.yaml', (m) => {
      m.id = 'copy';
      m.stage = 'no-such-stage';
    });
    expect(problems.some((p) => p.path === 'trainingModules[0].stage' || p.message.includes('unknown stage'))).to.equal(true);
  });
});
