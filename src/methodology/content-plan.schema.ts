// The content plan's defaults as methodology data: formats, a theme for each weekday, the client chat
// and the domains a published address may be on. Optional: methodologies frozen before it still load.
import { z } from 'zod';
import { localizedText } from './localized-text.ts';

const formatId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and "-" (for example "review-answer")');
/** A host name such as vk.com: a published address is on it or on one of its subdomains. */
const domain = z.string().regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'must be a host name such as vk.com (lower case, no scheme or path)');

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export const contentPlanSchema = z.strictObject({
  formats: z.array(z.strictObject({ id: formatId, label: localizedText })).min(1, 'name at least one format'),
  /** Monday is 1, Sunday 7 (ISO 8601); each day once. */
  weekdayThemes: z
    .array(z.strictObject({ weekday: z.number().int().min(1).max(7), theme: localizedText, brief: localizedText }))
    .length(7, 'give a theme for each of the seven weekdays'),
  /** The document whose table lists the accounts, and the columns holding network and address. */
  accountsRegister: z.strictObject({ documentType: z.string().min(1), table: z.string().min(1), network: z.string().min(1), address: z.string().min(1) }),
  chat: z.strictObject({ label: localizedText, domains: z.array(domain).min(1) }),
  /** Per network id, the domains its public pages live on. */
  networkDomains: z.record(z.string(), z.array(domain).min(1)),
});

export type ContentPlanDefaults = z.infer<typeof contentPlanSchema>;

/** Cross-checks with the rest of the methodology: each weekday once, formats once, known networks and a real table. */
export function checkContentPlan(
  plan: ContentPlanDefaults | undefined,
  m: { networks: { id: string }[]; documentTypes: { id: string; fields: { id: string; type: string; columns?: { id: string }[] }[] }[] },
  ctx: z.RefinementCtx,
): void {
  if (!plan) return;
  const at = (...path: (string | number)[]) => ['contentPlan', ...path];
  plan.weekdayThemes.forEach((t, i) => {
    if (plan.weekdayThemes.findIndex((o) => o.weekday === t.weekday) !== i) ctx.addIssue({ code: 'custom', path: at('weekdayThemes', i, 'weekday'), message: `weekday ${t.weekday} is given twice` });
  });
  plan.formats.forEach((f, i) => {
    if (plan.formats.findIndex((o) => o.id === f.id) !== i) ctx.addIssue({ code: 'custom', path: at('formats', i, 'id'), message: `format id "${f.id}" is used twice` });
  });
  const networks = new Set(m.networks.map((n) => n.id));
  for (const id of Object.keys(plan.networkDomains)) {
    if (!networks.has(id)) ctx.addIssue({ code: 'custom', path: at('networkDomains', id), message: `network "${id}" is not declared in networks` });
  }
  const { documentType, table, network, address } = plan.accountsRegister;
  const type = m.documentTypes.find((d) => d.id === documentType);
  const field = type?.fields.find((f) => f.id === table && f.type === 'table');
  if (!type) ctx.addIssue({ code: 'custom', path: at('accountsRegister', 'documentType'), message: `unknown document type "${documentType}"` });
  else if (!field) ctx.addIssue({ code: 'custom', path: at('accountsRegister', 'table'), message: `"${documentType}" has no table "${table}"` });
  else {
    for (const [key, column] of [['network', network], ['address', address]] as const) {
      if (!field.columns?.some((c) => c.id === column)) ctx.addIssue({ code: 'custom', path: at('accountsRegister', key), message: `table "${table}" has no column "${column}"` });
    }
  }
}
