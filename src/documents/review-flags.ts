// Which "review needed" flags hold a stage's gate, pure: a flag holds the gate of its document's stage, or of the current stage once that one is past.
import type { Methodology } from '../methodology/methodology.schema.ts';
import type { ReviewFlagStatus } from './review-flag.entity.ts';

/** An unsettled flag as the gate and the pages read it. */
export interface UnsettledFlag {
  flagId: string;
  documentId: string;
  typeId: string;
  /** The stage the downstream document belongs to. */
  stageId: string;
  upstreamTypeId: string;
  status: Extract<ReviewFlagStatus, 'open' | 'changesRequested'>;
}

/** The flags that hold the gate of the given stage: their document's stage is this one or an earlier one. */
export function flagsHolding(methodology: Pick<Methodology, 'stages'>, stageId: string, flags: UnsettledFlag[]): UnsettledFlag[] {
  const index = (id: string) => methodology.stages.findIndex((s) => s.id === id);
  const here = index(stageId);
  if (here < 0) return [];
  // A document of a stage the methodology no longer has (never in a frozen copy) holds the current stage.
  return flags.filter((f) => index(f.stageId) <= here);
}
