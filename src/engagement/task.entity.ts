// A checklist task of an engagement, created from the methodology or added by the consultant.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../users/user.entity.ts';
import { Engagement } from './engagement.entity.ts';

const TaskSchema = defineEntity({
  name: 'Task',
  tableName: 'tasks',
  indexes: [
    { name: 'tasks_engagement_id_index', properties: ['engagement', 'stageId', 'position'] },
    { name: 'tasks_assignee_id_index', properties: ['assignee'] },
    // Overdue and next-deadline figures of the engagement lists read open tasks only.
    { name: 'tasks_open_deadline_index', expression: `create index "tasks_open_deadline_index" on "tasks" ("engagement_id", "deadline") where "status" = 'open'` },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    /** The methodology task id, such as "prep.competitors"; null for a task the consultant added. */
    key: p.string().nullable(),
    stageId: p.string(),
    position: p.integer(),
    kind: p.string(),
    role: p.string(),
    required: p.boolean(),
    /** Own title for an added task; methodology tasks take theirs from the methodology. */
    title: p.string().nullable(),
    assignee: () => p.manyToOne(User).nullable(),
    deadline: p.datetime().nullable(),
    status: p.string().default('open'),
    completedAt: p.datetime().nullable(),
    completedBy: () => p.manyToOne(User).nullable(),
    note: p.text().nullable(),
    /** Set when a methodology upgrade archives the task: its title as the version it came from named it. */
    archivedTitle: p.json<{ en: string; ru: string }>().nullable(),
    /** The status the task had when an upgrade archived it, given back if a later version brings the task back. */
    archivedStatus: p.string().nullable(),
  },
});

export class Task extends TaskSchema.class {}
TaskSchema.setClass(Task);
