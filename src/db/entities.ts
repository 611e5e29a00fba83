// Every entity the ORM maps, in one list for the ORM config and the migration generator.
import { User } from '../users/user.entity.ts';
import { UserToken } from '../users/user-token.entity.ts';
import { MethodologyVersion } from '../methodology/methodology-version.entity.ts';
import { Engagement, Participant, EngagementEvent, StageSignoff } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';
import { ProjectDocument, DocumentVersion, Approval } from '../documents/document.entity.ts';
import { GeneratedPdf } from '../pdf/generated-pdf.entity.ts';
import { TrainingAssignment, QuizAttempt } from '../training/training.entity.ts';
import { ContentPlan, ContentItem } from '../content/content.entity.ts';
import { CalendarFeed } from '../calendar-feed/calendar-feed.entity.ts';
import { StudySession } from '../training/study-session.entity.ts';
import { ApiToken } from '../api/api-token.entity.ts';
import { DeskEntry, DeskSettings } from '../desk/desk.entity.ts';
import { Comment } from '../comments/comment.entity.ts';
import { ReviewFlag } from '../documents/review-flag.entity.ts';
import { Kpi, KpiActual } from '../kpi/kpi.entity.ts';

// One per line, so rooms added side by side merge without a conflict.
export const entities = [
  User,
  UserToken,
  MethodologyVersion,
  Engagement,
  Participant,
  EngagementEvent,
  StageSignoff,
  Task,
  ProjectDocument,
  DocumentVersion,
  Approval,
  GeneratedPdf,
  TrainingAssignment,
  QuizAttempt,
  ContentPlan,
  ContentItem,
  CalendarFeed,
  StudySession,
  ApiToken,
  DeskEntry,
  DeskSettings,
  Comment,
  ReviewFlag,
  Kpi,
  KpiActual,
];
