// A training module assigned to one staff member, and each attempt at its quiz.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../users/user.entity.ts';
import { Engagement } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';

const TrainingAssignmentSchema = defineEntity({
  name: 'TrainingAssignment',
  tableName: 'training_assignments',
  uniques: [{ properties: ['engagement', 'user', 'moduleId'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    user: () => p.manyToOne(User),
    moduleId: p.string(),
    stageId: p.string(),
    task: () => p.manyToOne(Task),
    deadline: p.datetime().nullable(),
    attempts: p.integer().default(0),
    bestScore: p.integer().nullable(),
    quizPassedAt: p.datetime().nullable(),
    /** not_submitted -> submitted -> accepted, or returned -> submitted again. */
    practicalStatus: p.string().default('not_submitted'),
    submission: p.text().nullable(),
    submittedAt: p.datetime().nullable(),
    reviewComment: p.text().nullable(),
    /** Positions (0-based) of the assignment's checklist items the last review found met. */
    checklistPassed: p.json<number[]>().nullable(),
    reviewedAt: p.datetime().nullable(),
    reviewedBy: () => p.manyToOne(User).nullable(),
    completedAt: p.datetime().nullable(),
  },
});

export class TrainingAssignment extends TrainingAssignmentSchema.class {}
TrainingAssignmentSchema.setClass(TrainingAssignment);

const QuizAttemptSchema = defineEntity({
  name: 'QuizAttempt',
  tableName: 'quiz_attempts',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    assignment: () => p.manyToOne(TrainingAssignment),
    number: p.integer(),
    answers: p.json<Record<string, string[]>>(),
    score: p.integer(),
    isPassed: p.boolean(),
    at: p.datetime(),
  },
});

export class QuizAttempt extends QuizAttemptSchema.class {}
QuizAttemptSchema.setClass(QuizAttempt);
