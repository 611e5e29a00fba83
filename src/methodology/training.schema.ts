// The shape of a training module file: reading, a quiz graded on the server, and a practical assignment.
import { z } from 'zod';
import { localizedText } from './localized-text.ts';

const key = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and "-"');
const localizedList = z.strictObject({
  en: z.array(z.string().trim().min(1)).min(1, 'needs at least one English item'),
  ru: z.array(z.string().trim().min(1)).min(1, 'needs at least one Russian item'),
});

export const answerSchema = z.strictObject({
  id: key,
  text: localizedText,
  correct: z.boolean(),
  /** Shown after the quiz is submitted: why this answer is right or wrong. */
  explanation: localizedText,
});

export const questionSchema = z
  .strictObject({
    id: key,
    kind: z.enum(['single', 'multiple']),
    text: localizedText,
    answers: z.array(answerSchema).min(2, 'a question needs at least two answers').max(8),
  })
  .superRefine((q, ctx) => {
    const correct = q.answers.filter((a) => a.correct).length;
    if (correct === 0) ctx.addIssue({ code: 'custom', path: ['answers'], message: 'no answer is marked correct' });
    if (q.kind === 'single' && correct > 1) ctx.addIssue({ code: 'custom', path: ['answers'], message: `a single-choice question has ${correct} correct answers` });
    q.answers.forEach((a, i) => {
      if (q.answers.findIndex((o) => o.id === a.id) !== i) ctx.addIssue({ code: 'custom', path: ['answers', i, 'id'], message: `answer id "${a.id}" is used twice` });
    });
  });

export const trainingModuleSchema = z
  .strictObject({
    id: key,
    /** The stage whose training task this module counts towards. */
    stage: key,
    title: localizedText,
    objectives: localizedList,
    reading: localizedText,
    quiz: z.strictObject({
      passMark: z.number().int().min(1).max(100).optional(),
      maxAttempts: z.number().int().min(1).max(20).optional(),
      questions: z.array(questionSchema).min(5, 'a quiz needs 5 to 10 questions').max(10, 'a quiz needs 5 to 10 questions'),
    }),
    assignment: z.strictObject({
      instructions: localizedText,
      checklist: localizedList,
    }),
  })
  .superRefine((m, ctx) => {
    m.quiz.questions.forEach((q, i) => {
      if (m.quiz.questions.findIndex((o) => o.id === q.id) !== i) ctx.addIssue({ code: 'custom', path: ['quiz', 'questions', i, 'id'], message: `question id "${q.id}" is used twice` });
    });
    if (m.objectives.en.length !== m.objectives.ru.length) ctx.addIssue({ code: 'custom', path: ['objectives'], message: 'English and Russian objectives differ in number' });
    if (m.assignment.checklist.en.length !== m.assignment.checklist.ru.length) ctx.addIssue({ code: 'custom', path: ['assignment', 'checklist'], message: 'English and Russian checklists differ in number' });
  });

export type TrainingModule = z.infer<typeof trainingModuleSchema>;
export type Question = z.infer<typeof questionSchema>;
