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
import { Kpi, KpiActual } from '../kpi/kpi.entity.ts';

export const entities = [User, UserToken, MethodologyVersion, Engagement, Participant, EngagementEvent, StageSignoff, Task, ProjectDocument, DocumentVersion, Approval, GeneratedPdf, TrainingAssignment, QuizAttempt, ContentPlan, ContentItem, CalendarFeed, StudySession, Kpi, KpiActual];
