// The schema's history, oldest first; the only way the schema ever changes.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123092150_Initial } from './Migration20261123092150_Initial.ts';
import { Migration20261123093432_WebSessions } from './Migration20261123093432_WebSessions.ts';
import { Migration20261123095326_GeneratedPdfs } from './Migration20261123095326_GeneratedPdfs.ts';
import { Migration20261123102525_Training } from './Migration20261123102525_Training.ts';
import { Migration20261124100000_AuthAttempts } from './Migration20261124100000_AuthAttempts.ts';
import { Migration20261201100000_FirmRoles } from './Migration20261201100000_FirmRoles.ts';
import { Migration20261201110000_FormSubmissions } from './Migration20261201110000_FormSubmissions.ts';
import { Migration20261201200000_PracticalChecklist } from './Migration20261201200000_PracticalChecklist.ts';
import { Migration20261201230000_ListIndexes } from './Migration20261201230000_ListIndexes.ts';
import { Migration20261202020000_Notifications } from './Migration20261202020000_Notifications.ts';
import { Migration20261202150000_ApiTokens } from './Migration20261202150000_ApiTokens.ts';
import { Migration20261202130000_Comments } from './Migration20261202130000_Comments.ts';
import { Migration20261202010000_ContentPlan } from './Migration20261202010000_ContentPlan.ts';
import { Migration20261202010000_OwnerDelegate } from './Migration20261202010000_OwnerDelegate.ts';
import { Migration20261202010000_StudySessions } from './Migration20261202010000_StudySessions.ts';
import { Migration20261202180000_ChangeNotices } from './Migration20261202180000_ChangeNotices.ts';
import { Migration20261202120000_ReviewDesk } from './Migration20261202120000_ReviewDesk.ts';
import { Migration20261202140000_Reminders } from './Migration20261202140000_Reminders.ts';
import { Migration20261202170000_ReviewFlags } from './Migration20261202170000_ReviewFlags.ts';
import { Migration20261202100000_Kpis } from './Migration20261202100000_Kpis.ts';
import { Migration20261202190000_Webhooks } from './Migration20261202190000_Webhooks.ts';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261123092150_Initial', class: Migration20261123092150_Initial },
  { name: 'Migration20261123093432_WebSessions', class: Migration20261123093432_WebSessions },
  { name: 'Migration20261123095326_GeneratedPdfs', class: Migration20261123095326_GeneratedPdfs },
  { name: 'Migration20261123102525_Training', class: Migration20261123102525_Training },
  { name: 'Migration20261124100000_AuthAttempts', class: Migration20261124100000_AuthAttempts },
  { name: 'Migration20261201100000_FirmRoles', class: Migration20261201100000_FirmRoles },
  { name: 'Migration20261201110000_FormSubmissions', class: Migration20261201110000_FormSubmissions },
  { name: 'Migration20261201200000_PracticalChecklist', class: Migration20261201200000_PracticalChecklist },
  { name: 'Migration20261201230000_ListIndexes', class: Migration20261201230000_ListIndexes },
  { name: 'Migration20261202010000_ContentPlan', class: Migration20261202010000_ContentPlan },
  { name: 'Migration20261202010000_OwnerDelegate', class: Migration20261202010000_OwnerDelegate },
  { name: 'Migration20261202010000_StudySessions', class: Migration20261202010000_StudySessions },
  { name: 'Migration20261202020000_Notifications', class: Migration20261202020000_Notifications },
  { name: 'Migration20261202180000_ChangeNotices', class: Migration20261202180000_ChangeNotices },
  { name: 'Migration20261202150000_ApiTokens', class: Migration20261202150000_ApiTokens },
  { name: 'Migration20261202120000_ReviewDesk', class: Migration20261202120000_ReviewDesk },
  { name: 'Migration20261202130000_Comments', class: Migration20261202130000_Comments },
  { name: 'Migration20261202140000_Reminders', class: Migration20261202140000_Reminders },
  { name: 'Migration20261202170000_ReviewFlags', class: Migration20261202170000_ReviewFlags },
  { name: 'Migration20261202100000_Kpis', class: Migration20261202100000_Kpis },
  { name: 'Migration20261202190000_Webhooks', class: Migration20261202190000_Webhooks },
];
