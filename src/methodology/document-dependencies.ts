// Which document types build on which (documentTypes[].dependsOn): checked by the loader, read when an upstream document is approved anew.
import type { z } from 'zod';

interface DependencyShape {
  id: string;
  dependsOn?: string[];
}

/** Every dependency names a known type, not itself, at most once, and no chain leads back to where it started. */
export function checkDocumentDependencies(types: DependencyShape[], ctx: z.RefinementCtx): void {
  const known = new Set(types.map((t) => t.id));
  types.forEach((type, d) => {
    (type.dependsOn ?? []).forEach((upstream, i) => {
      const path = ['documentTypes', d, 'dependsOn', i];
      if (upstream === type.id) ctx.addIssue({ code: 'custom', path, message: `document type "${type.id}" cannot depend on itself` });
      else if (!known.has(upstream)) ctx.addIssue({ code: 'custom', path, message: `unknown document type "${upstream}"` });
      if (type.dependsOn!.indexOf(upstream) !== i) ctx.addIssue({ code: 'custom', path, message: `"${upstream}" is listed twice` });
    });
  });
  const cycle = findCycle(types);
  if (cycle) {
    const d = types.findIndex((t) => t.id === cycle[0]);
    ctx.addIssue({ code: 'custom', path: ['documentTypes', d, 'dependsOn'], message: `the dependencies go round in a circle: ${cycle.join(' → ')}` });
  }
}

/** The first circle of dependencies found, as the ids along it with the first repeated at the end; null when there is none. */
export function findCycle(types: DependencyShape[]): string[] | null {
  const edges = new Map(types.map((t) => [t.id, (t.dependsOn ?? []).filter((u) => u !== t.id)]));
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (path.includes(id)) return [...path.slice(path.indexOf(id)), id];
    if (done.has(id)) return null;
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    done.add(id);
    return null;
  };
  for (const t of types) {
    const found = visit(t.id);
    if (found) return found;
  }
  return null;
}

/** The document types that build directly on the given one. */
export function dependentsOf(types: DependencyShape[], upstreamId: string): string[] {
  return types.filter((t) => t.dependsOn?.includes(upstreamId)).map((t) => t.id);
}
