// The exact methodology an engagement was started from, kept so later edits to the files change nothing.
import { defineEntity, p } from '@mikro-orm/core';
import type { Methodology } from './methodology.schema.ts';

const MethodologyVersionSchema = defineEntity({
  name: 'MethodologyVersion',
  tableName: 'methodology_versions',
  properties: {
    /** sha256 of the validated definition: the same content is stored once. */
    hash: p.string().primary(),
    key: p.string().index(),
    /**
     * Lazy: a frozen methodology is a few hundred kilobytes of jsonb that never changes, so rows are
     * read without it and the definition comes from MethodologyRegistry.frozen (parsed once per hash).
     */
    definition: p.json<Methodology>().lazy(),
    firstUsedAt: p.datetime().onCreate(() => new Date()),
  },
});

export class MethodologyVersion extends MethodologyVersionSchema.class {}
MethodologyVersionSchema.setClass(MethodologyVersion);
