// A one-to-one session in which the consultant went over the methods kit (KMM) with one participant.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../users/user.entity.ts';
import { Engagement } from '../engagement/engagement.entity.ts';

const StudySessionSchema = defineEntity({
  name: 'StudySession',
  tableName: 'study_sessions',
  indexes: [{ properties: ['engagement', 'participant'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    /** The participant the consultant studied the kit with. */
    participant: () => p.manyToOne(User),
    /** The calendar day it took place, as the consultant wrote it (2026-12-01). */
    heldOn: p.string().length(10),
    note: p.text(),
    recordedBy: () => p.manyToOne(User),
    recordedAt: p.datetime(),
  },
});

export class StudySession extends StudySessionSchema.class {}
StudySessionSchema.setClass(StudySession);
