// Mocha root hooks: one PostgreSQL for the whole run.
import { startTestPostgres, stopTestPostgres } from './postgres.ts';
import { closeSharedPdf } from './pdf.ts';

if (Number(process.versions.node.split('.')[0]) < 24) {
  throw new Error(`The tests need the project's Node 24, not ${process.version}: run "npm install" with its scripts, then "npm test".`);
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await startTestPostgres();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await closeSharedPdf();
    await stopTestPostgres();
  },
};
