// Read side of the desk: its list with filters, one entry's page with rules and warnings, and the
// response shares a KPI reads (deskEntriesOf feeds the KPI room's weekly series; deskResponseShares a period).
import type { EntityManager } from '@mikro-orm/core';
import { Engagement, Participant } from '../engagement/engagement.entity.ts';
import { isUuid, type ServiceDeps } from '../engagement/command.ts';
import { requireViewer } from '../engagement/engagement-access.ts';
import type { Methodology, Role } from '../methodology/methodology.schema.ts';
import { MethodologyVersion } from '../methodology/methodology-version.entity.ts';
import type { DeskKind, ReviewDesk } from '../methodology/review-desk.schema.ts';
import { NotFoundError } from '../errors.ts';
import { channelLabel, readChannels } from '../content/channels.queries.ts';
import type { Channel } from '../content/content-rules.ts';
import { DeskEntry, DeskSettings } from './desk.entity.ts';
import { answerWarnings, type AnswerWarning } from './answer-warnings.ts';
import { judge, normFor, responseShares, type Judgement, type KindShare } from './response-norms.ts';
import { startOfLocalDay } from '../reminders/working-days.ts';
import { toLocalInput } from './desk-time.ts';

type Language = 'en' | 'ru';

export interface DeskContext {
  em: EntityManager;
  engagement: Engagement;
  methodology: Methodology;
  /** Null for an engagement whose frozen methodology has no desk. */
  desk: ReviewDesk | null;
  role: Role;
  /** A firm administrator who takes no part (engagement-access.ts). */
  readOnly: boolean;
  actsAsOwner: boolean;
  canWrite: boolean;
  canApprove: boolean;
  approvalRequired: boolean;
  actorId: string;
  now: Date;
  /** Now on the engagement's clock, as a datetime-local input shows it. */
  nowLocal: string;
  /** The engagement's time zone: the days and hours the norms are judged in. */
  timeZone: string;
  language: Language;
  header: { id: string; clientName: string };
  names: Map<string, string>;
  channels: (Channel & { label: string })[];
}

/** Everyone in the engagement reads the desk; anyone else, and another engagement's entry, is "not found". */
export async function readDeskContext(deps: ServiceDeps, actorId: string, engagementId: string, language: Language, chatLabel: string): Promise<DeskContext> {
  const em = deps.orm.em.fork();
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  // A firm administrator who takes no part reads the consultant's desk, offered no action (readOnly).
  const { role, actsAsOwner, readOnly } = await requireViewer(em, engagement.id, actorId);
  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  const [participants, settings, channels] = await Promise.all([
    em.find(Participant, { engagement }, { populate: ['user'] }),
    em.findOne(DeskSettings, { engagement }),
    readChannels(em, engagement, methodology),
  ]);
  const desk = methodology.reviewDesk ?? null;
  const now = deps.clock();
  return {
    em, engagement, methodology, desk, actsAsOwner, actorId, language, now, timeZone: engagement.timeZone,
    role,
    readOnly,
    canWrite: role === 'staff',
    canApprove: !readOnly && (role === 'consultant' || actsAsOwner),
    approvalRequired: settings?.approvalRequired ?? desk?.approvalByDefault ?? true,
    nowLocal: toLocalInput(now, engagement.timeZone),
    header: { id: engagement.id, clientName: engagement.clientName },
    names: new Map(participants.map((p) => [p.user.id, p.displayName])),
    channels: channels.map((c) => ({ ...c, label: channelLabel(methodology, c, language, chatLabel) })),
  };
}

export interface EntryRow {
  id: string;
  kind: DeskKind;
  status: string;
  sentiment: string;
  channelLabel: string;
  receivedAt: Date;
  excerpt: string;
  judgement: Judgement | null;
}

function toRow(c: DeskContext, entry: DeskEntry): EntryRow {
  const label = c.channels.find((ch) => ch.key === entry.channel)?.label ?? channelLabel(c.methodology, { network: entry.network, address: entry.accountAddress ?? null }, c.language, entry.network);
  const text = entry.customerText.replace(/\s+/g, ' ');
  return {
    id: entry.id, kind: entry.kind as DeskKind, status: entry.status, sentiment: entry.sentiment, channelLabel: label, receivedAt: entry.receivedAt,
    excerpt: text.length > 140 ? `${text.slice(0, 139)}…` : text,
    judgement: c.desk ? judge(normFor(c.desk, entry.kind as DeskKind), c.desk.workingDay, { receivedAt: entry.receivedAt, sentAt: entry.sentAt ?? null }, c.now, c.timeZone) : null,
  };
}

export interface EntryFilter {
  type?: string;
  status?: string;
  sentiment?: string;
}

/** The entries matching the filters, newest first, and the shares of the whole desk (filters aside). */
export async function listDeskEntries(c: DeskContext, filter: EntryFilter): Promise<{ rows: EntryRow[]; shares: KindShare[] }> {
  const where: Record<string, unknown> = { engagement: c.engagement };
  if (filter.type) where.kind = filter.type;
  if (filter.status) where.status = filter.status;
  if (filter.sentiment) where.sentiment = filter.sentiment;
  const [entries, all] = await Promise.all([
    c.em.find(DeskEntry, where, { orderBy: { receivedAt: 'desc', createdAt: 'desc' }, limit: 1000 }),
    c.em.find(DeskEntry, { engagement: c.engagement }, { fields: ['kind', 'receivedAt', 'sentAt'] }),
  ]);
  const shares = c.desk ? responseShares(all.map((e) => ({ kind: e.kind as DeskKind, receivedAt: e.receivedAt, sentAt: e.sentAt ?? null })), c.desk, c.now, c.timeZone) : [];
  return { rows: entries.map((e) => toRow(c, e)), shares };
}

export interface EntryPage {
  row: EntryRow;
  entry: DeskEntry;
  norm: { text: string } | null;
  rules: { id: string; kind: 'dont' | 'do'; text: string; isChecked: boolean }[];
  warnings: AnswerWarning[];
  canEditAnswer: boolean;
  canSubmit: boolean;
  canDecide: boolean;
  canSend: boolean;
  names: { answeredBy: string | null; decidedBy: string | null; sentBy: string | null; loggedBy: string | null };
}

export async function getDeskEntry(c: DeskContext, entryId: string): Promise<EntryPage> {
  const entry = isUuid(entryId) ? await c.em.findOne(DeskEntry, { id: entryId, engagement: c.engagement }) : null;
  if (!entry) throw new NotFoundError('Desk entry');
  const name = (user: { id: string } | null | undefined) => (user ? (c.names.get(user.id) ?? null) : null);
  const status = entry.status;
  const norm = c.desk ? normFor(c.desk, entry.kind as DeskKind) : null;
  return {
    row: toRow(c, entry),
    entry,
    norm: norm ? { text: norm.text[c.language] } : null,
    rules: (c.desk?.rules ?? []).map((r) => ({ id: r.id, kind: r.kind, text: r.text[c.language], isChecked: entry.checkedRules.includes(r.id) })),
    warnings: c.desk ? answerWarnings({ answer: entry.answer, sentiment: entry.sentiment as 'positive' | 'negative', kind: entry.kind as DeskKind }, c.desk.phrases) : [],
    canEditAnswer: c.canWrite && !!c.desk && status !== 'submitted' && status !== 'sent',
    canSubmit: c.canWrite && (status === 'draft' || status === 'changes_requested'),
    canDecide: c.canApprove && status === 'submitted' && entry.answeredBy?.id !== c.actorId,
    canSend: c.canWrite && (status === 'approved' || (!c.approvalRequired && (status === 'draft' || status === 'submitted'))),
    names: { answeredBy: name(entry.answeredBy), decidedBy: name(entry.decidedBy), sentBy: name(entry.sentBy), loggedBy: name(entry.loggedBy) },
  };
}

/**
 * Per kind, the share of entries received from fromDate to toDate (days of the engagement's time zone,
 * inclusive) that were answered within the methodology's norm, for a KPI such as "share of reviews
 * answered the same day". An entry still unanswered but in time is "waiting" and not in the share; one
 * past its norm counts as missed.
 */
export async function deskResponseShares(em: EntityManager, engagementId: string, fromDate: string, toDate: string, now: Date = new Date()): Promise<KindShare[]> {
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  const version = await em.findOneOrFail(MethodologyVersion, engagement.methodology.hash, { populate: ['definition'] });
  const desk = version.definition.reviewDesk;
  if (!desk) return [];
  const zone = engagement.timeZone;
  const dayStart = (day: string) => startOfLocalDay({ year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)) }, zone);
  const after = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const entries = await em.find(
    DeskEntry,
    { engagement, receivedAt: { $gte: dayStart(fromDate), $lt: dayStart(after(toDate)) } },
    { fields: ['kind', 'receivedAt', 'sentAt'] },
  );
  return responseShares(entries.map((e) => ({ kind: e.kind as DeskKind, receivedAt: e.receivedAt, sentAt: e.sentAt ?? null })), desk, now, zone);
}

/** What a desk share reads of an entry. */
export interface ShareEntry {
  kind: string;
  network: string;
  receivedAt: Date;
  sentAt: Date | null;
}

/**
 * The desk entries of several engagements with each one's time zone, in two statements whatever their
 * number, for the KPIs summed from the desk. No authorization: callers have done it.
 */
export async function deskEntriesOf(em: EntityManager, engagementIds: string[]): Promise<Map<string, { timeZone: string; entries: ShareEntry[] }>> {
  const out = new Map<string, { timeZone: string; entries: ShareEntry[] }>();
  if (!engagementIds.length) return out;
  const [engagements, entries] = await Promise.all([
    em.find(Engagement, { id: { $in: engagementIds } }, { fields: ['timeZone'] }),
    em.find(DeskEntry, { engagement: { $in: engagementIds } }, { fields: ['engagement', 'kind', 'network', 'receivedAt', 'sentAt'] }),
  ]);
  for (const e of engagements) out.set(e.id, { timeZone: e.timeZone, entries: [] });
  for (const e of entries) out.get(e.engagement.id)?.entries.push({ kind: e.kind, network: e.network, receivedAt: e.receivedAt, sentAt: e.sentAt ?? null });
  return out;
}
