import { contentOf } from './content.ts';
// A second process for crash tests: runs commands on a few engagements as fast as it can until killed.
import { openOrm } from '../../src/db/orm.ts';
import { makeDeps, makeEngagement, completeCurrentStage } from './factories.ts';
import { advanceStage, pauseEngagement, resumeEngagement } from '../../src/engagement/engagement.service.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';

const orm = await openOrm(process.argv[2]!);
const deps = makeDeps(orm);
const engagements = await Promise.all([0, 1, 2].map(() => makeEngagement(deps)));
console.log(`ready ${engagements.map((e) => e.engagementId).join(',')}`);
let n = 0;
for (;;) {
  await Promise.all(
    engagements.map(async ({ engagementId, cast }) => {
      await pauseEngagement(deps, cast.consultant.id, engagementId);
      deps.time.advanceDays(1);
      await resumeEngagement(deps, cast.consultant.id, engagementId);
      await submitDocumentVersion(deps, cast.consultant.id, engagementId, 'content-concept', await contentOf('content-concept', `draft ${++n}`));
      const stage = await completeCurrentStage(deps, engagementId, cast).catch(() => null);
      if (stage) await advanceStage(deps, cast.consultant.id, engagementId).catch(() => {});
    }),
  );
  console.log(`tick ${n}`);
}
