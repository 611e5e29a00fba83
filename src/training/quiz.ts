// Quiz grading, pure: a question counts when exactly its correct answers were chosen.
import type { TrainingModule } from '../methodology/training.schema.ts';

export type QuizAnswers = Record<string, string[]>;

export interface GradedQuestion {
  id: string;
  isCorrect: boolean;
  chosen: string[];
  correct: string[];
}

export interface QuizResult {
  score: number;
  isPassed: boolean;
  questions: GradedQuestion[];
}

export function gradeQuiz(module: TrainingModule, answers: QuizAnswers, passMark: number): QuizResult {
  const questions = module.quiz.questions.map((q): GradedQuestion => {
    const valid = new Set(q.answers.map((a) => a.id));
    const chosen = [...new Set((answers[q.id] ?? []).filter((id) => valid.has(id)))].sort();
    const correct = q.answers.filter((a) => a.correct).map((a) => a.id).sort();
    return { id: q.id, chosen, correct, isCorrect: chosen.length === correct.length && chosen.every((id, i) => id === correct[i]) };
  });
  const score = Math.round((100 * questions.filter((q) => q.isCorrect).length) / questions.length);
  return { score, isPassed: score >= passMark, questions };
}

/** The quiz as the browser may see it before an answer is sent: no flags, no explanations. */
export function publicQuiz(module: TrainingModule, locale: 'en' | 'ru') {
  return module.quiz.questions.map((q) => ({
    id: q.id,
    kind: q.kind,
    text: q.text[locale],
    answers: q.answers.map((a) => ({ id: a.id, text: a.text[locale] })),
  }));
}
