// Networks in a methodology: every one a document or the mandatory list names is declared, gate rules
// point at a real table, and network fields become choices over exactly the declared networks.
import type { z } from 'zod';
import type { CheckedMethodology, DocumentType, FieldDefinition, MandatoryNetworksRule, LocalizedText } from './methodology.schema.ts';

/** Every network a document or the mandatory list names must be declared in networks. */
export function checkNetworks(m: { networks: { id: string; mandatory: boolean }[]; mandatoryNetworks?: string[]; documentTypes: { fields: { networks?: string[]; columns?: { networks?: string[] }[] }[] }[] }, ctx: z.RefinementCtx): void {
  const declared = new Set(m.networks.map((n) => n.id));
  const undeclared = (name: string) => `network "${name}" is not declared in networks (declared: ${[...declared].join(', ')})`;
  m.mandatoryNetworks?.forEach((name, i) => {
    if (!declared.has(name)) ctx.addIssue({ code: 'custom', path: ['mandatoryNetworks', i], message: `mandatory ${undeclared(name)}` });
  });
  if (m.mandatoryNetworks) {
    m.networks.forEach((n, i) => {
      if (n.mandatory) ctx.addIssue({ code: 'custom', path: ['networks', i, 'mandatory'], message: 'mandatoryNetworks already says which networks are mandatory: say it in one place' });
    });
  } else if (!m.networks.some((n) => n.mandatory)) {
    ctx.addIssue({ code: 'custom', path: ['networks'], message: 'at least one network must be mandatory' });
  }
  m.documentTypes.forEach((type, d) =>
    type.fields.forEach((field, f) => {
      field.networks?.forEach((name, i) => {
        if (!declared.has(name)) ctx.addIssue({ code: 'custom', path: ['documentTypes', d, 'fields', f, 'networks', i], message: undeclared(name) });
      });
      field.columns?.forEach((column, c) =>
        column.networks?.forEach((name, i) => {
          if (!declared.has(name)) ctx.addIssue({ code: 'custom', path: ['documentTypes', d, 'fields', f, 'columns', c, 'networks', i], message: undeclared(name) });
        }),
      );
    }),
  );
}

export function checkGateRule(m: { documentTypes: { id: string; fields: { id: string; type: string; mandatoryNetworkRows?: string; columns?: { id: string }[] }[] }[] }, rule: MandatoryNetworksRule, path: (string | number)[], ctx: z.RefinementCtx): void {
  const type = m.documentTypes.find((d) => d.id === rule.documentType);
  if (!type) return void ctx.addIssue({ code: 'custom', path: [...path, 'documentType'], message: `unknown document type "${rule.documentType}"` });
  const table = type.fields.find((f) => f.id === rule.table);
  if (!table || !table.mandatoryNetworkRows) {
    return void ctx.addIssue({ code: 'custom', path: [...path, 'table'], message: `"${rule.documentType}" has no table "${rule.table}" with mandatoryNetworkRows` });
  }
  rule.complete.forEach((columnId, i) => {
    if (!table.columns?.some((c) => c.id === columnId)) ctx.addIssue({ code: 'custom', path: [...path, 'complete', i], message: `table "${rule.table}" has no column "${columnId}"` });
  });
}

/** Network and direction fields become selects over the declared ones; mandatoryNetworks becomes each network's flag. */
export function resolveNetworks(m: CheckedMethodology) {
  const { mandatoryNetworks, ...rest } = m;
  const networks = m.networks.map((n) => ({ ...n, mandatory: mandatoryNetworks ? mandatoryNetworks.includes(n.id) : n.mandatory }));
  const optionsFor = (only?: string[]) =>
    networks.filter((n) => !only || only.includes(n.id)).map((n) => ({ value: n.id, label: n.label ?? { en: n.name, ru: n.name } }));
  // Directions are offered the same way: a direction field lists the methodology's directions, never a copy.
  const directionOptions = Object.entries(m.directions).map(([value, label]) => ({ value, label }));
  const resolve = <F extends { type: string; networks?: string[]; options?: { value: string; label: LocalizedText }[] }>(field: F): F =>
    field.type === 'network' ? { ...field, type: 'select', options: optionsFor(field.networks) } : field.type === 'direction' ? { ...field, type: 'select', options: directionOptions } : field;
  const mandatoryIds = networks.filter((n) => n.mandatory).map((n) => n.id);
  // The frozen table names its mandatory networks itself, so the editor and the validator need nothing else.
  const withMandatoryRows = (field: FieldDefinition): FieldDefinition => (field.mandatoryNetworkRows ? { ...field, mandatoryNetworkIds: mandatoryIds } : field);
  const documentTypes: DocumentType[] = m.documentTypes.map((type) => ({
    ...type,
    fields: type.fields.map((field) => withMandatoryRows(resolve(field.columns ? { ...field, columns: field.columns.map(resolve) } : field))),
  }));
  return { ...rest, networks, documentTypes };
}
