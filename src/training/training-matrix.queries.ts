// The staff x module matrix as its page shows it: filtered by person, module and status, a page of
// staff at a time. An engagement holds a handful of staff and modules (2-7 people, the kit's modules),
// so the whole matrix is read in the fixed statements of getTrainingMatrix and cut here.
import type { ServiceDeps } from '../engagement/command.ts';
import { getTrainingMatrix, type ModuleStatus } from './training.queries.ts';

type Locale = 'en' | 'ru';

export const MODULE_STATUSES: ModuleStatus[] = ['not_started', 'in_progress', 'submitted', 'returned', 'completed'];
export const STAFF_PER_PAGE = 25;

export interface MatrixFilter {
  personId?: string;
  moduleId?: string;
  status?: ModuleStatus;
  page: number;
}

export async function getTrainingMatrixPage(deps: ServiceDeps, actorId: string, engagementId: string, filter: MatrixFilter, locale: Locale) {
  const matrix = await getTrainingMatrix(deps, actorId, engagementId, locale);
  const allModules = matrix.modules;
  const people = matrix.rows.map((r) => ({ userId: r.userId, name: r.name }));
  const isUnknownPerson = !!filter.personId && !people.some((p) => p.userId === filter.personId);
  const isUnknownModule = !!filter.moduleId && !allModules.some((m) => m.id === filter.moduleId);
  const modules = filter.moduleId ? allModules.filter((m) => m.id === filter.moduleId) : allModules;
  // A status filter keeps the cells in that status, and the people and modules that have one.
  const keeps = (cell: { status: ModuleStatus } | undefined) => !!cell && (!filter.status || cell.status === filter.status);
  const rows = matrix.rows
    .filter((r) => !filter.personId || r.userId === filter.personId)
    .map((r) => ({ ...r, cells: Object.fromEntries(Object.entries(r.cells).filter(([moduleId, cell]) => modules.some((m) => m.id === moduleId) && keeps(cell))) }))
    .filter((r) => !(filter.status || filter.moduleId) || Object.keys(r.cells).length > 0);
  const shownModules = filter.status ? modules.filter((m) => rows.some((r) => r.cells[m.id])) : modules;
  const pageCount = Math.max(1, Math.ceil(rows.length / STAFF_PER_PAGE));
  const page = Math.min(filter.page, pageCount);
  return {
    ...matrix,
    modules: shownModules,
    rows: rows.slice((page - 1) * STAFF_PER_PAGE, page * STAFF_PER_PAGE),
    matching: rows.length,
    page,
    pageCount,
    choices: { people, modules: allModules },
    isUnknownPerson,
    isUnknownModule,
  };
}
