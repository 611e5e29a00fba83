// A printed PDF kept with the exact versions it was made from, so asking again does not print again.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Engagement } from '../engagement/engagement.entity.ts';

const GeneratedPdfSchema = defineEntity({
  name: 'GeneratedPdf',
  tableName: 'generated_pdfs',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    kind: p.string(),
    /** sha256 of the kind, the version hashes, the approvals, the language and the templates. */
    cacheKey: p.string().unique(),
    sources: p.json<Record<string, unknown>>(),
    bytes: p.blob(),
    /** sha256 of the bytes themselves: what /verify/<hash> finds a printed copy by (null for prints made before it was kept). */
    sha256: p.string().length(64).nullable().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class GeneratedPdf extends GeneratedPdfSchema.class {}
GeneratedPdfSchema.setClass(GeneratedPdf);
